import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import type { Attachment } from 'botframework-schema';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const TEMPLATE_SUFFIX = '.json';
const SAMPLE_DATA_SUFFIX = '.data.json';

/** Raised when a template or its sample data cannot be read; the message names the file. */
export class CardTemplateError extends Error {
  override name = 'CardTemplateError';
}

/**
 * Renders the Adaptive Card templates of one folder by name. Each `<name>.json` is parsed into an
 * adaptivecards-templating Template once, when the renderer is created.
 */
export class CardRenderer {
  private readonly templates = new Map<string, Template>();

  constructor(readonly dir: string) {
    for (const name of listTemplateNames(dir)) {
      this.templates.set(name, new Template(readJsonFile(join(dir, `${name}${TEMPLATE_SUFFIX}`))));
    }
  }

  /** Names of the loaded templates, sorted. */
  get names(): string[] {
    return [...this.templates.keys()].sort();
  }

  /** Expands template `name` with `data` into a card object. Throws for an unknown name. */
  renderCard(name: string, data: object): Record<string, unknown> {
    const template = this.templates.get(name);
    if (template === undefined) {
      throw new CardTemplateError(
        `No card template named "${name}" in ${this.dir}. Known templates: ${this.names.join(', ')}.`,
      );
    }
    return template.expand({ $root: data }) as Record<string, unknown>;
  }

  /** Expands template `name` with `data` into an Adaptive Card attachment. */
  render(name: string, data: object): Attachment {
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: this.renderCard(name, data) };
  }
}

/** Lists the template names in `dir`: every `*.json` file that is not sample data. */
export function listTemplateNames(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new CardTemplateError(
      `Cannot read the card template folder ${dir}: ${(error as Error).message}. Set CARDS_DIR ` +
        'to the folder that holds the templates.',
    );
  }
  return files
    .filter((file) => file.endsWith(TEMPLATE_SUFFIX) && !file.endsWith(SAMPLE_DATA_SUFFIX))
    .map((file) => file.slice(0, -TEMPLATE_SUFFIX.length))
    .sort();
}

/** Reads and parses one JSON file, naming the file in any error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CardTemplateError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CardTemplateError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
