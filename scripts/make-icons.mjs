// Draws the Teams app icons into appPackage/: color.png (192×192, opaque) and outline.png
// (32×32, white on transparent), as Teams requires. Uses only Node built-ins. Run it again after
// changing the drawing: node scripts/make-icons.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');

/** The app's accent color, also `accentColor` in manifest.json. */
const ACCENT = [0x2e, 0x5e, 0x9e];
const WHITE = [0xff, 0xff, 0xff];

/** Samples per pixel side, so each pixel averages 4 × 4 = 16 samples. */
const SUPERSAMPLING = 4;

// --- Shapes as signed distance functions in a unit square: negative inside, positive outside.

function roundedRectDistance(x, y, rect) {
  const qx = Math.abs(x - rect.cx) - rect.halfWidth + rect.radius;
  const qy = Math.abs(y - rect.cy) - rect.halfHeight + rect.radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  const inside = Math.min(Math.max(qx, qy), 0);
  return outside + inside - rect.radius;
}

function segmentDistance(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

function triangleDistance(x, y, points) {
  const edges = [0, 1, 2].map((i) => [points[i], points[(i + 1) % 3]]);
  const distance = Math.min(...edges.map(([a, b]) => segmentDistance(x, y, a, b)));
  // The point is inside when it lies on the same side of all three edges.
  const sides = edges.map(([[ax, ay], [bx, by]]) => (bx - ax) * (y - ay) - (by - ay) * (x - ax));
  const inside = sides.every((side) => side >= 0) || sides.every((side) => side <= 0);
  return inside ? -distance : distance;
}

function circleDistance(x, y, circle) {
  return Math.hypot(x - circle.cx, y - circle.cy) - circle.radius;
}

/** Builds the distance functions of a speech bubble with three dots, scaled around the center. */
function chatGlyph(scale) {
  const at = (value) => 0.5 + (value - 0.5) * scale;
  const size = (value) => value * scale;
  const body = { cx: at(0.5), cy: at(0.44), halfWidth: size(0.36), halfHeight: size(0.26) };
  body.radius = size(0.12);
  const tail = [
    [at(0.26), at(0.62)],
    [at(0.46), at(0.62)],
    [at(0.2), at(0.88)],
  ];
  const dots = [0.33, 0.5, 0.67].map((x) => ({ cx: at(x), cy: at(0.44), radius: size(0.06) }));
  return {
    bubble: (x, y) => Math.min(roundedRectDistance(x, y, body), triangleDistance(x, y, tail)),
    dot: (x, y) => Math.min(...dots.map((dot) => circleDistance(x, y, dot))),
  };
}

// --- Rasterising: each pixel is the mean of SUPERSAMPLING² samples.

function render(size, sample) {
  const rgba = Buffer.alloc(size * size * 4);
  const step = 1 / SUPERSAMPLING;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const [r, g, b, a] = sample(
            (px + (sx + 0.5) * step) / size,
            (py + (sy + 0.5) * step) / size,
          );
          // Premultiplied, so transparent samples do not darken the edge color.
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = (py * size + px) * 4;
      const alpha = sum[3] / SUPERSAMPLING ** 2;
      for (let channel = 0; channel < 3; channel++) {
        rgba[offset + channel] = alpha === 0 ? 0 : Math.round(sum[channel] / sum[3]);
      }
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

function drawColorIcon() {
  const glyph = chatGlyph(0.7);
  return render(192, (x, y) => {
    const onBubble = glyph.bubble(x, y) < 0 && glyph.dot(x, y) >= 0;
    return [...(onBubble ? WHITE : ACCENT), 1];
  });
}

function drawOutlineIcon() {
  const glyph = chatGlyph(1);
  const halfStroke = 1 / 32; // a 2 px line at 32 px
  return render(32, (x, y) => {
    const onLine = Math.abs(glyph.bubble(x, y)) <= halfStroke || glyph.dot(x, y) < 0;
    return [...WHITE, onLine ? 1 : 0];
  });
}

// --- PNG encoding (RFC 2083): signature, IHDR, one IDAT and IEND, 8-bit RGBA without filtering.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // color type: RGBA
  // Bytes 10 to 12 stay 0: deflate compression, adaptive filtering, no interlace.
  const rowBytes = size * 4;
  const scanlines = Buffer.alloc(size * (rowBytes + 1));
  for (let row = 0; row < size; row++) {
    // Each scanline starts with its filter type, 0 (none).
    rgba.copy(scanlines, row * (rowBytes + 1) + 1, row * rowBytes, (row + 1) * rowBytes);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(join(OUT_DIR, 'color.png'), encodePng(192, drawColorIcon()));
writeFileSync(join(OUT_DIR, 'outline.png'), encodePng(32, drawOutlineIcon()));
stdout.write(`Wrote color.png and outline.png to ${OUT_DIR}\n`);
