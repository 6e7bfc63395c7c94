import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CardTemplateError,
  readCardFolder,
  readJsonFile,
  SAMPLE_DATA_SUFFIX,
  sampleDataFile,
  TEMPLATE_SUFFIX,
  templateFile,
} from './card-folder';
import { checkCard, problem, type CardLimits, type CardProblem } from './check-card';

export {
  checkCard,
  type CardCheckInput,
  type CardLimits,
  type CardProblem,
  type CardProblemKind,
} from './check-card';

/**
 * Checks every template in `dir` against its sample data and `limits`, and the folder itself:
 * only templates and their sample data belong there. Returns the problems, and an empty
 * list means every card can ship.
 */
export function checkCardFolder(dir: string, limits: CardLimits): CardProblem[] {
  let entries: string[];
  try {
    entries = readCardFolder(dir);
  } catch (error) {
    return [
      problem('folder', dir, '$', (error as Error).message, 'Create the folder or fix CARDS_DIR.'),
    ];
  }
  const names = entries
    .filter((entry) => entry.endsWith(TEMPLATE_SUFFIX) && !entry.endsWith(SAMPLE_DATA_SUFFIX))
    .map((entry) => entry.slice(0, -TEMPLATE_SUFFIX.length));

  const problems = checkFolderEntries(dir, entries, new Set(names));
  for (const name of names) {
    problems.push(...checkTemplateFile(dir, name, limits));
  }
  return problems;
}

/** Reports every folder entry that is neither a template nor the sample data of one. */
function checkFolderEntries(dir: string, entries: string[], names: Set<string>): CardProblem[] {
  const problems: CardProblem[] = [];
  for (const entry of entries) {
    const file = join(dir, entry);
    if (statSync(file).isDirectory()) {
      problems.push(problem('folder', file, '$', 'a folder inside the card folder', STRAY_FIX));
    } else if (entry.endsWith(SAMPLE_DATA_SUFFIX)) {
      const name = entry.slice(0, -SAMPLE_DATA_SUFFIX.length);
      if (!names.has(name)) {
        problems.push(
          problem(
            'sample-data',
            file,
            '$',
            `sample data without a template: ${name}${TEMPLATE_SUFFIX} does not exist`,
            `Rename it to match its template or delete it.`,
          ),
        );
      }
    } else if (!entry.endsWith(TEMPLATE_SUFFIX)) {
      problems.push(
        problem('folder', file, '$', 'a file that is not a card template (*.json)', STRAY_FIX),
      );
    }
  }
  return problems;
}

const STRAY_FIX =
  'Move it out of the card folder: it holds only <name>.json templates and their ' +
  '<name>.data.json sample data (previews go to preview/).';

function checkTemplateFile(dir: string, name: string, limits: CardLimits): CardProblem[] {
  const file = templateFile(dir, name);
  const dataFile = sampleDataFile(dir, name);
  let template: unknown;
  try {
    template = readJsonFile(file);
  } catch (error) {
    return [problem('file', file, '$', (error as CardTemplateError).message, 'Correct the JSON.')];
  }
  if (!existsSync(dataFile)) {
    const missing = problem(
      'sample-data',
      dataFile,
      '$',
      `${basename(file)} has no sample data file`,
      `Create ${basename(dataFile)} with a value for every \${...} binding of the template.`,
    );
    return [missing, ...checkCard({ ...limits, file, dataFile, template, data: {} })];
  }
  let data: unknown;
  try {
    data = readJsonFile(dataFile);
  } catch (error) {
    return [problem('sample-data', dataFile, '$', (error as Error).message, 'Correct the JSON.')];
  }
  return checkCard({ ...limits, file, dataFile, template, data });
}
