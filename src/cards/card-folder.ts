import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { walkJson } from './json-path';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax';

export const TEMPLATE_SUFFIX = '.json';
export const SAMPLE_DATA_SUFFIX = '.data.json';

/** Raised when a template or its sample data cannot be read or parsed. The message names the file. */
export class CardTemplateError extends Error {
  override name = 'CardTemplateError';
}

/** Returns the path of template `name` in `dir`. */
export function templateFile(dir: string, name: string): string {
  return join(dir, `${name}${TEMPLATE_SUFFIX}`);
}

/** Returns the path of the sample data of template `name` in `dir`. */
export function sampleDataFile(dir: string, name: string): string {
  return join(dir, `${name}${SAMPLE_DATA_SUFFIX}`);
}

/** Lists the entries of a card folder, raising CardTemplateError when it cannot be read. */
export function readCardFolder(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    throw new CardTemplateError(
      `Cannot read the card template folder ${dir}: ${(error as Error).message}. Set CARDS_DIR ` +
        'to the folder that holds the templates.',
    );
  }
}

/** Lists the template names in `dir`: every `*.json` file that is not sample data. */
export function listTemplateNames(dir: string): string[] {
  return readCardFolder(dir)
    .filter((file) => file.endsWith(TEMPLATE_SUFFIX) && !file.endsWith(SAMPLE_DATA_SUFFIX))
    .map((file) => file.slice(0, -TEMPLATE_SUFFIX.length));
}

/** Reads one file as UTF-8 text, naming the file in any error. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CardTemplateError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Reads and parses one JSON file, naming the file in any error. */
export function readJsonFile(file: string): unknown {
  return parseJsonText(file, readTextFile(file));
}

/**
 * Parses the JSON text of `file`, ignoring a leading byte order mark. A syntax error names the
 * file, line and column.
 */
export function parseJsonText(file: string, text: string): unknown {
  const json = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (error) {
    const offset = findJsonSyntaxError(json) ?? 0;
    const { line, column } = lineAndColumn(json, offset);
    const found =
      offset < json.length
        ? `unexpected ${JSON.stringify(json[offset])}`
        : 'the text ends too early';
    throw new CardTemplateError(
      `${file}:${line}:${column} is not valid JSON: ${found}. Correct the JSON syntax there.`,
      { cause: error },
    );
  }
}

/**
 * Parses the text of a template file into an adaptivecards-templating Template. Raises
 * CardTemplateError naming the file when the text is not JSON, is not a JSON object, or contains a
 * `${...}` binding expression that does not parse (the error then names its JSON path too).
 */
export function parseTemplateText(file: string, text: string): Template {
  const json = parseJsonText(file, text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CardTemplateError(
      `${file} is not an Adaptive Card template: expected a JSON object with ` +
        '"type": "AdaptiveCard" at the top.',
    );
  }
  try {
    return new Template(json);
  } catch (error) {
    const path = findUnparsableString(json) ?? '$';
    throw new CardTemplateError(
      `${file} has an invalid binding expression at ${path}: ` +
        `${(error as Error).message.replace(/\.$/, '')}. ` +
        'Correct the expression inside ${...}.',
    );
  }
}

/** Returns the JSON path of the first string whose `${...}` expressions do not parse. */
function findUnparsableString(json: unknown): string | undefined {
  let found: string | undefined;
  walkJson(json, (value, path) => {
    if (found !== undefined || typeof value !== 'string') {
      return;
    }
    try {
      Template.parseInterpolatedString(value);
    } catch {
      found = path;
    }
  });
  return found;
}
