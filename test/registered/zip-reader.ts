import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive, decompressed. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Reads every entry of a zip archive through its central directory, as unzip tools do (PKWARE
 * APPNOTE 4.3). Handles stored and deflated entries, which is all yazl writes.
 */
export function readZip(archive: Buffer): ZipEntry[] {
  const end = archive.lastIndexOf(uint32(END_OF_CENTRAL_DIRECTORY));
  if (end < 0) {
    throw new Error('not a zip archive: no end of central directory record');
  }
  const entryCount = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);

  const entries: ZipEntry[] = [];
  for (let index = 0; index < entryCount; index++) {
    if (archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`zip central directory entry ${index} has a bad signature`);
    }
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, data: readEntryData(archive, localOffset, method, compressedSize) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntryData(archive: Buffer, offset: number, method: number, size: number): Buffer {
  if (archive.readUInt32LE(offset) !== LOCAL_FILE_HEADER) {
    throw new Error(`zip local file header at ${offset} has a bad signature`);
  }
  const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
  const raw = archive.subarray(start, start + size);
  if (method === 0) {
    return Buffer.from(raw);
  }
  if (method === 8) {
    return inflateRawSync(raw);
  }
  throw new Error(`zip compression method ${method} is not supported`);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
