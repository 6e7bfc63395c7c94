import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Path of the browser that Debian's `chromium` package installs. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Maximum time one Chromium run may take, in milliseconds, before it is stopped. */
const RUN_TIMEOUT_MS = 60_000;

/**
 * Flags for one headless run that sends nothing over the network: no background services, a new
 * profile, and every host name except 127.0.0.1 left unresolved.
 */
function chromiumFlags(userDataDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    `--user-data-dir=${userDataDir}`,
  ];
}

/** Raised when Chromium is missing, fails or times out. */
export class ChromiumError extends Error {
  override name = 'ChromiumError';
}

/** Runs Chromium once with `args` after the common flags, in a new profile that is then deleted. */
async function runChromium(chromium: string, args: string[]): Promise<string> {
  if (!existsSync(chromium)) {
    throw new ChromiumError(
      `Chromium was not found at ${chromium}. Install it with scripts/install-preview-deps.sh.`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'cards-chromium-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      const options = { timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 };
      execFile(
        chromium,
        [...chromiumFlags(userDataDir), ...args],
        options,
        (error, stdout, stderr) => {
          if (error !== null) {
            const detail = stderr.trim().split('\n').slice(-3).join(' | ');
            reject(new ChromiumError(`Chromium failed: ${error.message} ${detail}`.trim()));
          } else {
            resolve(stdout);
          }
        },
      );
    });
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/** Loads `url` and returns the DOM after the page's scripts ran, as HTML. */
export function dumpDom(chromium: string, url: string): Promise<string> {
  return runChromium(chromium, ['--dump-dom', url]);
}

/** Loads `url` in a window of `width` × `height` CSS pixels and saves a PNG of it to `file`. */
export async function takeScreenshot(
  chromium: string,
  url: string,
  file: string,
  size: { width: number; height: number },
): Promise<void> {
  await runChromium(chromium, [
    `--screenshot=${file}`,
    `--window-size=${size.width},${size.height}`,
    url,
  ]);
  const written = await stat(file).catch(() => undefined);
  if (written === undefined || written.size === 0) {
    throw new ChromiumError(`Chromium did not write the screenshot ${file}.`);
  }
}
