/** Image properties from a PNG file's header. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** PNG color type: 0 grey, 2 RGB, 3 palette, 4 grey with alpha, 6 RGBA. */
  colorType: number;
  /** True for color types with an alpha channel, or when a tRNS chunk marks a transparent color. */
  hasAlpha: boolean;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR_LENGTH = 13;

/**
 * Reads the IHDR chunk of a PNG file and looks for a tRNS chunk before the image data, following
 * the chunk layout of the PNG specification (RFC 2083). Throws for bytes that are not a PNG file.
 */
export function readPngInfo(bytes: Buffer): PngInfo {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file: the 8-byte PNG signature is missing');
  }
  if (bytes.readUInt32BE(8) !== IHDR_LENGTH || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file: the first chunk is not a 13-byte IHDR');
  }
  const colorType = bytes[25];
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes[24],
    colorType,
    hasAlpha: colorType === 4 || colorType === 6 || hasTransparencyChunk(bytes),
  };
}

/** Looks for a tRNS chunk between IHDR and the first IDAT, the only place PNG allows it. */
function hasTransparencyChunk(bytes: Buffer): boolean {
  let offset = 8 + 12 + IHDR_LENGTH;
  while (offset + 8 <= bytes.length) {
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'tRNS') {
      return true;
    }
    if (type === 'IDAT' || type === 'IEND') {
      return false;
    }
    // Each chunk is a 4-byte length, a 4-byte type, the data and a 4-byte CRC.
    offset += 12 + bytes.readUInt32BE(offset);
  }
  return false;
}
