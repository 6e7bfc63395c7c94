/**
 * `npm run cards:preview [--install-deps] [name ...]`: renders every card template (or the named
 * ones) with its sample data to PNG pictures in preview/, in Teams' light and dark themes, with
 * Debian's headless Chromium. Prints the path of each picture.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderPreviews } from '../cards/card-preview';
import { displayPath, readCardSettings } from './cards-check';
import { parseCliOptions } from './cli-options';

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

const USAGE = `Usage: npm run cards:preview -- [--install-deps] [name ...]

Renders each card template (or the named ones) with its sample data to PNG in light and dark
themes, with Debian's headless Chromium, and prints the paths of the pictures.

Options:
  --install-deps    install chromium and the emoji and CJK fonts with apt-get first
  --help            print this help`;

async function main(): Promise<number> {
  const { values, positionals: names } = parseCliOptions(
    { 'install-deps': { type: 'boolean', default: false } },
    USAGE,
  );
  const config = readCardSettings();
  if (config === undefined) {
    return 2;
  }
  if (!ensureDependencies(values['install-deps'] === true)) {
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
