import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  ADAPTIVE_CARDS_BUNDLE_FILE,
  ADAPTIVE_CARDS_STYLESHEET_FILE,
} from './adaptive-cards-library';
import {
  CardTemplateError,
  listTemplateNames,
  parseTemplateText,
  readJsonFile,
  readTextFile,
  sampleDataFile,
  templateFile,
} from './card-folder';
import { DEBIAN_CHROMIUM, dumpDom, takeScreenshot } from './headless-chromium';
import {
  buildPreviewPage,
  BUNDLE_PATH,
  PREVIEW_CARD_WIDTH,
  PREVIEW_MARGIN,
  STYLESHEET_PATH,
  withPlaceholderImages,
} from './preview-page';
import { PREVIEW_THEMES, type PreviewTheme } from './teams-host-config';

/** Chromium processes run at once: one per CPU, at most four, because each draws on the CPU. */
const PARALLEL_RUNS = Math.min(4, availableParallelism());

/** Height used for a card whose height was not measured, in CSS pixels. */
const FALLBACK_HEIGHT = 600;

export interface PreviewOptions {
  /** Folder of the templates and their sample data. */
  cardsDir: string;
  /** Folder the PNG files are written to, created when missing. */
  outputDir: string;
  /** The Chromium executable, Debian's by default. */
  chromium?: string;
  /** Templates to render, all by default. */
  names?: string[];
}

/** One rendered picture. */
export interface PreviewImage {
  name: string;
  theme: PreviewTheme;
  file: string;
}

/**
 * Renders every template, expanded with its sample data, to `<name>.<theme>.png` in the output
 * folder, in Teams' light and dark themes. The pages are served on 127.0.0.1 and drawn by
 * headless Chromium. Images in cards are replaced by placeholders, so nothing is fetched from
 * the network. Throws CardTemplateError for a broken file and ChromiumError when Chromium fails.
 */
export async function renderPreviews(options: PreviewOptions): Promise<PreviewImage[]> {
  const chromium = options.chromium ?? DEBIAN_CHROMIUM;
  const cards = expandCards(options.cardsDir, options.names);
  await mkdir(options.outputDir, { recursive: true });

  const server = await startPreviewServer(cards);
  try {
    const heights = await measureCards(chromium, server.url);
    const images = Object.keys(cards).flatMap((name) =>
      PREVIEW_THEMES.map((theme) => ({
        name,
        theme,
        file: join(options.outputDir, `${name}.${theme}.png`),
      })),
    );
    await runInParallel(images, PARALLEL_RUNS, async (image) => {
      const size = {
        width: PREVIEW_CARD_WIDTH + 2 * PREVIEW_MARGIN,
        height: (heights[image.name] ?? FALLBACK_HEIGHT) + 2 * PREVIEW_MARGIN,
      };
      const url = `${server.url}/${image.theme}/${encodeURIComponent(image.name)}`;
      await takeScreenshot(chromium, url, image.file, size);
    });
    return images;
  } finally {
    await new Promise((resolve) => server.server.close(resolve));
  }
}

/** Runs `task` on every item, at most `limit` at a time. */
async function runInParallel<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await task(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Expands each template with its sample data, or with `{}` when it has none. */
function expandCards(dir: string, names?: string[]): Record<string, unknown> {
  const known = listTemplateNames(dir);
  const unknown = (names ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new CardTemplateError(
      `No card template named "${unknown[0]}" in ${dir}. Known templates: ${known.join(', ')}.`,
    );
  }
  const cards: Record<string, unknown> = {};
  for (const name of names ?? known) {
    const dataFile = sampleDataFile(dir, name);
    const data = existsSync(dataFile) ? readJsonFile(dataFile) : {};
    const file = templateFile(dir, name);
    const expanded: unknown = parseTemplateText(file, readTextFile(file)).expand({ $root: data });
    cards[name] = withPlaceholderImages(expanded);
  }
  return cards;
}

/** Returns each card's height in CSS pixels, measured in one page with all cards. */
async function measureCards(chromium: string, url: string): Promise<Record<string, number>> {
  const dom = await dumpDom(chromium, `${url}/light`);
  const match = /data-heights="([^"]*)"/.exec(dom);
  if (match === null) {
    return {};
  }
  return JSON.parse(match[1].replace(/&quot;/g, '"')) as Record<string, number>;
}

/**
 * Serves the preview pages on 127.0.0.1 and an ephemeral port: `/<theme>` shows every card,
 * `/<theme>/<name>` one card, and the adaptivecards bundle and stylesheet are served beside them.
 */
async function startPreviewServer(
  cards: Record<string, unknown>,
): Promise<{ server: Server; url: string }> {
  const bundle = await readFile(ADAPTIVE_CARDS_BUNDLE_FILE);
  const stylesheet = await readFile(ADAPTIVE_CARDS_STYLESHEET_FILE);
  const server = createServer((request, response) => {
    const [theme, name] = (request.url ?? '/').split('/').slice(1).map(decodeURIComponent);
    let type = 'text/html; charset=utf-8';
    let body: string | Buffer | undefined;
    if (request.url === BUNDLE_PATH) {
      [type, body] = ['text/javascript', bundle];
    } else if (request.url === STYLESHEET_PATH) {
      [type, body] = ['text/css', stylesheet];
    } else if (isTheme(theme) && (name === undefined || name in cards)) {
      body = buildPreviewPage(name === undefined ? cards : { [name]: cards[name] }, theme);
    }
    // Not chained: restify, when loaded in the same process, replaces writeHead() with one that
    // returns undefined.
    response.writeHead(body === undefined ? 404 : 200, { 'Content-Type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

function isTheme(value: string | undefined): value is PreviewTheme {
  return PREVIEW_THEMES.includes(value as PreviewTheme);
}
