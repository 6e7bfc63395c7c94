import { deflateSync, inflateSync } from 'node:zlib';

/** An 8-bit RGBA or RGB image with its pixels, as the tests need them. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: 3 | 4;
  /** Row-major samples, `channels` bytes a pixel. */
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Decodes a non-interlaced 8-bit RGB or RGBA PNG, undoing all five scanline filters of the PNG
 * specification (RFC 2083, section 6). Throws for any other kind of PNG.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [bitDepth, colorType, , , interlace] = png.subarray(24, 29);
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, color type ${colorType}`);
  }
  const channels = colorType === 6 ? 4 : 3;
  const data = inflateSync(Buffer.concat(chunksOfType(png, 'IDAT')));
  return { width, height, channels, pixels: unfilter(data, width * channels, height, channels) };
}

function chunksOfType(png: Buffer, type: string): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset + 8 <= png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === type) {
      chunks.push(png.subarray(offset + 8, offset + 8 + length));
    }
    offset += 12 + length;
  }
  return chunks;
}

function unfilter(data: Buffer, rowBytes: number, height: number, step: number): Buffer {
  const pixels = Buffer.alloc(rowBytes * height);
  for (let row = 0; row < height; row++) {
    const filter = data[row * (rowBytes + 1)];
    const source = row * (rowBytes + 1) + 1;
    const target = row * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const left = i >= step ? pixels[target + i - step] : 0;
      const up = row > 0 ? pixels[target + i - rowBytes] : 0;
      const upLeft = row > 0 && i >= step ? pixels[target + i - rowBytes - step] : 0;
      pixels[target + i] = (data[source + i] + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return pixels;
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4:
      return paeth(left, up, upLeft);
    default:
      throw new Error(`invalid PNG filter type ${filter}`);
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) {
    return left;
  }
  return toUp <= toUpLeft ? up : upLeft;
}

/** Encodes a solid RGB image without alpha, for checks that must reject such an icon. */
export function encodeOpaquePng(size: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3).fill(Buffer.from(rgb))]);
  const data = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return assemblePng(size, 2, [['IDAT', data]]);
}

/**
 * Encodes a one-pixel palette image, with a tRNS chunk that makes its color transparent when
 * `transparent` is set.
 */
export function encodePalettePng(transparent: boolean): Buffer {
  const chunks: [string, Buffer][] = [['PLTE', Buffer.from([255, 255, 255])]];
  if (transparent) {
    chunks.push(['tRNS', Buffer.from([0])]);
  }
  chunks.push(['IDAT', deflateSync(Buffer.from([0, 0]))]);
  return assemblePng(1, 3, chunks);
}

function assemblePng(size: number, colorType: number, chunks: [string, Buffer][]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = colorType;
  const body = chunks.map(([type, data]) => chunk(type, data));
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), ...body, chunk('IEND')]);
}

function chunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
