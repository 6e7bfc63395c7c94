import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { INVALID_APP_ID_MESSAGE, isGuid } from './bot-framework-auth';
import { readPngInfo } from './png';

/** Raised when the package cannot be built. The message names the file or setting to fix. */
export class AppPackageError extends Error {
  override name = 'AppPackageError';
}

/** A `${{Name}}` placeholder in manifest.json, filled from the setting of that name. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Sizes Teams requires: a 192×192 color icon and a 32×32 outline icon on transparency. */
const ICON_RULES = {
  color: { size: 192, transparent: false },
  outline: { size: 32, transparent: true },
} as const;

export interface BuildAppPackageOptions {
  /** Folder of manifest.json and its icons. */
  dir: string;
  /** botbuilder's settings. MicrosoftAppId fills the app and bot ids. */
  settings: Record<string, string>;
  /** Path of the zip to write. Its folder is created when missing. */
  outFile: string;
}

export interface AppPackage {
  /** The filled manifest, as written into the zip. */
  manifest: Record<string, unknown>;
  /** Names of the files in the zip, all at its root. */
  files: string[];
}

/**
 * Fills manifest.json from the settings, checks the icons it names and writes the zip Teams
 * accepts for upload: manifest.json and the two icons at the root of the archive.
 */
export async function buildAppPackage(options: BuildAppPackageOptions): Promise<AppPackage> {
  if (!isGuid(options.settings.MicrosoftAppId ?? '')) {
    throw new AppPackageError(INVALID_APP_ID_MESSAGE);
  }
  const template = await readPackageFile(options.dir, 'manifest.json');
  const manifest = fillManifest(template.toString('utf8'), options.settings);

  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
  const files = ['manifest.json'];
  for (const kind of ['color', 'outline'] as const) {
    const file = iconFileName(manifest, kind);
    const bytes = await readPackageFile(options.dir, file);
    checkIcon(file, bytes, ICON_RULES[kind]);
    zip.addBuffer(bytes, file);
    files.push(file);
  }

  await mkdir(dirname(options.outFile), { recursive: true });
  const output = zip.outputStream.pipe(createWriteStream(options.outFile));
  zip.end();
  await finished(output);
  return { manifest, files };
}

/**
 * Replaces every `${{Name}}` in the manifest text with the setting `Name`, escaped for a JSON
 * string, and parses the result. Throws AppPackageError naming a missing setting.
 */
export function fillManifest(
  template: string,
  settings: Record<string, string>,
): Record<string, unknown> {
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_placeholder, name: string) => {
    const value = settings[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new AppPackageError(
      `manifest.json uses settings that are not set: ${[...missing].join(', ')}. Set them in ` +
        '.env or the environment.',
    );
  }
  try {
    return JSON.parse(filled) as Record<string, unknown>;
  } catch (error) {
    throw new AppPackageError(`manifest.json is not valid JSON: ${(error as Error).message}`);
  }
}

/** Returns the file name of an icon in the manifest, which must sit beside manifest.json. */
function iconFileName(manifest: Record<string, unknown>, kind: 'color' | 'outline'): string {
  const icons = manifest.icons as Record<string, unknown> | undefined;
  const file = icons?.[kind];
  if (typeof file !== 'string' || file === '' || basename(file) !== file) {
    throw new AppPackageError(
      `manifest.json icons.${kind} must name a PNG file beside manifest.json, such as ${kind}.png.`,
    );
  }
  return file;
}

function checkIcon(
  file: string,
  bytes: Buffer,
  rule: { size: number; transparent: boolean },
): void {
  let info;
  try {
    info = readPngInfo(bytes);
  } catch (error) {
    throw new AppPackageError(`${file} is ${(error as Error).message}.`);
  }
  if (info.width !== rule.size || info.height !== rule.size) {
    throw new AppPackageError(
      `${file} is ${info.width}×${info.height} pixels; Teams requires ${rule.size}×${rule.size}.`,
    );
  }
  if (rule.transparent && !info.hasAlpha) {
    throw new AppPackageError(
      `${file} has no transparency; Teams requires a white outline on a transparent background.`,
    );
  }
}

async function readPackageFile(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppPackageError(`Cannot read ${join(dir, file)} (${code}).`);
  }
}
