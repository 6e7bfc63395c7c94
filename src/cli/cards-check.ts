/**
 * `npm run cards:check [folder]`: checks every card template, expanded with its sample data,
 * against what Teams accepts in an outgoing-webhook reply. Prints one line per problem and exits
 * with 1 when there is any, 2 when the settings are invalid.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { listTemplateNames } from '../cards/card-folder';
import { checkCardFolder, type CardProblem } from '../cards/check-cards';
import { ConfigError, loadConfig, type Config } from '../config';
import { parseCliOptions } from './cli-options';

/**
 * A syntactically valid webhook token. The check reads only the card settings, and without a
 * token loadConfig would require one (in production) or create a development key file.
 */
const PLACEHOLDER_TOKEN = Buffer.alloc(32).toString('base64');

/** Returns `file` relative to the working folder when it is inside it, else absolute. */
export function displayPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? resolve(file) : path;
}

/** Formats a problem as `file path: message. Fix: fix`. */
export function formatProblem(problem: CardProblem): string {
  const message = problem.message.replace(/\.$/, '');
  return `${displayPath(problem.file)} ${problem.path}: ${message}. Fix: ${problem.fix}`;
}

/**
 * Reads the settings for a card command, printing a configuration error and returning undefined
 * when they are invalid.
 */
export function readCardSettings(): Config | undefined {
  try {
    return loadConfig({ ...process.env, TEAMS_WEBHOOK_SECRET: PLACEHOLDER_TOKEN });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

const USAGE = `Usage: npm run cards:check -- [folder]

Checks every card template in the folder (default: CARDS_DIR, else cards/), expanded with its
sample data, against what Teams accepts in an outgoing-webhook reply. Exits 1 when a template
has a problem and 2 when the settings are invalid.`;

function main(): number {
  const { positionals } = parseCliOptions({}, USAGE);
  const config = readCardSettings();
  if (config === undefined) {
    return 2;
  }
  const dir = positionals[0] === undefined ? config.cardsDir : resolve(positionals[0]);
  const problems = checkCardFolder(dir, config);
  for (const problem of problems) {
    console.log(formatProblem(problem));
  }

  const limits = `version ${config.maxCardVersion} or lower, replies up to ${config.maxReplyBytes} bytes`;
  if (problems.length > 0) {
    console.error(
      `cards:check found ${problems.length} problem(s) in ${displayPath(dir)} (${limits}).`,
    );
    return 1;
  }
  const count = listTemplateNames(dir).length;
  console.log(`cards:check: ${count} template(s) in ${displayPath(dir)} passed (${limits}).`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main();
}
