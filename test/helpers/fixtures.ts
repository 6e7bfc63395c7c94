import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder of the test fixtures, from the compiled test files in dist/test/. */
export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

export interface HmacCase {
  name: string;
  keyId: string;
  body?: string;
  bodyFile?: string;
  authorization: string | null;
  expectStatus: number;
}

export interface HmacVectors {
  keys: Record<string, string>;
  cases: HmacCase[];
}

export function loadVectors(): HmacVectors {
  return JSON.parse(readFileSync(join(FIXTURES, 'hmac-vectors.json'), 'utf8')) as HmacVectors;
}

/** Returns the exact bytes of a vector's body. */
export function vectorBody(vector: HmacCase): Buffer {
  if (vector.bodyFile !== undefined) {
    return readFileSync(join(FIXTURES, vector.bodyFile));
  }
  return Buffer.from(vector.body ?? '', 'utf8');
}

/** Reads the captured Teams payloads, by file name, as raw bytes. */
export function loadPayloads(): { file: string; body: Buffer }[] {
  const dir = join(FIXTURES, 'payloads');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, body: readFileSync(join(dir, file)) }));
}
