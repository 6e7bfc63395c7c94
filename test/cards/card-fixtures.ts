import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

/** The repository's own card folder. */
export const SHIPPED_CARDS_DIR = join(__dirname, '..', '..', '..', 'cards');

/** A temporary card folder. `remove` deletes it with its contents. */
export interface TempCardFolder {
  dir: string;
  write(file: string, content: unknown): string;
  remove(): void;
}

/**
 * Creates a card folder in the system temp folder with `files`: JSON values are written
 * formatted, strings as they are.
 */
export function makeCardFolder(files: Record<string, unknown> = {}): TempCardFolder {
  const dir = mkdtempSync(join(tmpdir(), 'cards-test-'));
  const write = (file: string, content: unknown) => {
    const path = join(dir, file);
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
    writeFileSync(path, text);
    return path;
  };
  for (const [file, content] of Object.entries(files)) {
    write(file, content);
  }
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Creates a folder inside `dir`. */
export function makeFolder(dir: string, name: string): void {
  mkdirSync(join(dir, name));
}

/** A minimal valid card around `body`, version 1.4. */
export function card(
  body: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'AdaptiveCard', version: '1.4', body, ...extra };
}

/** Creates a pino logger at debug level that parses each line it writes into `lines`. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

/** Resolves once `condition` is true, polling every 10 ms, and rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
