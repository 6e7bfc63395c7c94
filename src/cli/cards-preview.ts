/**
 * `npm run cards:preview [--install-deps] [name ...]`: renders every card template (or the named
 * ones) with its sample data to PNG pictures in preview/, in Teams' light and dark themes, with
 * Debian's headless Chromium. Prints the path of each picture.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderPreviews } from '../cards/card-preview';
import { displayPath, readCardSettings } from './cards-check';

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');
const INSTALL_SCRIPT = join(REPOSITORY_ROOT, 'scripts', 'install-preview-deps.sh');
const OUTPUT_DIR = join(REPOSITORY_ROOT, 'preview');

/** Checks for Chromium and the fonts, installing them first with `install`. */
function ensureDependencies(install: boolean): boolean {
  const args = install ? [INSTALL_SCRIPT] : [INSTALL_SCRIPT, '--check'];
  const result = spawnSync('bash', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status === 0) {
    return true;
  }
  if (!install) {
    console.error(
      'Install them with `npm run cards:preview -- --install-deps` or ' +
        '`bash scripts/install-preview-deps.sh` (needs root or sudo).',
    );
  }
  return false;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--install-deps');
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown[0]}. Usage: cards:preview [--install-deps] [name ...]`);
    return 2;
  }
  const config = readCardSettings();
  if (config === undefined) {
    return 2;
  }
  if (!ensureDependencies(args.includes('--install-deps'))) {
    return 1;
  }

  const images = await renderPreviews({
    cardsDir: config.cardsDir,
    outputDir: OUTPUT_DIR,
    names: names.length > 0 ? names : undefined,
  });
  for (const image of images) {
    console.log(displayPath(image.file));
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`cards:preview failed: ${error.message}`);
    process.exitCode = 1;
  },
);
