import { basename } from 'node:path';
import {
  checkCardVersion,
  checkImageUrls,
  checkReplySize,
  type LimitViolation,
} from './card-limits';
import { ADAPTIVE_CARD, findDisallowedActions } from './card-rules';
import { validateCardSchema } from './card-schema';
import { isJsonObject, walkJson, type JsonObject } from './json-path';
import { blankInvalidBindings, checkBindings } from './template-bindings';
import { expandTraced, templatePathOf, type TracedExpansion } from './template-expansion';

export type CardProblemKind =
  | 'folder'
  | 'file'
  | 'sample-data'
  | 'invalid-expression'
  | 'unbound'
  | 'unexpanded'
  | 'expansion'
  | 'action'
  | 'version'
  | 'schema'
  | 'size'
  | 'image-url';

/** One reason a template cannot ship, with where it is and how to fix it. */
export interface CardProblem {
  kind: CardProblemKind;
  /** The file to change: a template, its sample data, or a stray file in the folder. */
  file: string;
  /** JSON path in the template, such as `$.body[2].text`, or `$` for the whole file. */
  path: string;
  message: string;
  fix: string;
}

/** The limits a card is checked against. Both come from the service's config. */
export interface CardLimits {
  /** Highest Adaptive Card version a card may declare, such as "1.4". */
  maxCardVersion: string;
  /** Largest reply carrying the card, in UTF-8 bytes. */
  maxReplyBytes: number;
}

/** One template with its sample data, already parsed. */
export interface CardCheckInput extends CardLimits {
  file: string;
  dataFile: string;
  template: unknown;
  data: unknown;
}

/**
 * Checks one template expanded with its sample data: bindings, actions, version, schema, size
 * and image URLs. Pure: it reads no files. Paths in the problems are template paths.
 */
export function checkCard(input: CardCheckInput): CardProblem[] {
  const { file, template } = input;
  if (!isJsonObject(template)) {
    const message = 'the template is not a JSON object';
    return [problem('file', file, '$', message, 'Start from a card the Designer saved.')];
  }
  const problems: CardProblem[] = checkBindings(template, input.data, basename(input.dataFile)).map(
    (binding) => problem(binding.kind, file, binding.path, binding.message, binding.fix),
  );

  let expansion: TracedExpansion;
  try {
    expansion = expandTraced(blankInvalidBindings(template), input.data);
  } catch (error) {
    // A binding problem found above is the usual cause and names the place.
    if (problems.length === 0) {
      problems.push(
        problem(
          'expansion',
          file,
          '$',
          `expanding the template with its sample data failed: ${(error as Error).message}`,
          'Correct the binding expression or the sample data value named in the message.',
        ),
      );
    }
    return problems;
  }
  return [...problems, ...checkExpandedCard(input, expansion, problems)];
}

function checkExpandedCard(
  input: CardCheckInput,
  expansion: TracedExpansion,
  reported: CardProblem[],
): CardProblem[] {
  const card = expansion.output;
  if (!isJsonObject(card)) {
    return [
      problem(
        'expansion',
        input.file,
        '$',
        `the template expands to ${Array.isArray(card) ? 'an array' : String(card)}, not one card`,
        'Remove "$data" and "$when" from the top level of the template.',
      ),
    ];
  }
  // Problems at a place whose binding has no value are consequences of that, so they are skipped.
  const bindingPaths = new Set(reported.map((known) => known.path));
  const seen = new Set<string>();
  const problems: CardProblem[] = [];
  const add = (kind: CardProblemKind, violation: LimitViolation, inTemplate = false) => {
    const path = inTemplate ? violation.path : templatePathOf(expansion, violation.path);
    const key = `${kind} ${path}`;
    if (seen.has(key) || (kind !== 'size' && bindingPaths.has(path))) {
      return;
    }
    seen.add(key);
    if (kind === 'unexpanded') {
      bindingPaths.add(path);
    }
    const expandedAt =
      inTemplate || path === violation.path ? '' : ` (at ${violation.path} once expanded)`;
    problems.push(problem(kind, input.file, path, violation.message + expandedAt, violation.fix));
  };

  findUnexpanded(card).forEach((violation) => add('unexpanded', violation));
  findActions(card).forEach((violation) => add('action', violation));
  findActions(input.template, true).forEach((violation) => add('action', violation, true));
  const versionProblems = checkCardVersion(card, input.maxCardVersion);
  versionProblems.forEach((violation) => add('version', violation));
  const schemaVersion = versionProblems.length === 0 ? String(card.version) : input.maxCardVersion;
  checkSchema(card, schemaVersion).forEach((violation) => add('schema', violation));
  checkReplySize(card, input.maxReplyBytes).forEach((violation) => add('size', violation));
  checkImageUrls(card).forEach((violation) => add('image-url', violation));
  return problems;
}

function findUnexpanded(card: JsonObject): LimitViolation[] {
  const violations: LimitViolation[] = [];
  walkJson(card, (value, path) => {
    if (typeof value === 'string' && value.includes('${')) {
      violations.push({
        path,
        message: `${JSON.stringify(value)} still contains a \${...} binding after expansion with the sample data`,
        fix: 'Give the binding a value in the sample data, or correct the expression.',
      });
    }
  });
  return violations;
}

/**
 * Lists actions other than open-URL. Run on the template (`inTemplate`), it also finds actions in
 * parts that the sample data hides with `$when` or an empty `$data`. Action types set by a
 * binding are left to the check of the expanded card.
 */
function findActions(card: unknown, inTemplate = false): LimitViolation[] {
  const hidden = inTemplate ? ' (in a part the sample data does not show)' : '';
  return findDisallowedActions(ADAPTIVE_CARD, card)
    .filter((violation) => !(inTemplate && violation.actionType.includes('${')))
    .map((violation) => ({
      path: violation.path,
      message:
        `the action type "${violation.actionType}" does not work in an outgoing-webhook reply${hidden}: ` +
        'Teams runs only Action.OpenUrl there, because the webhook has no bot to receive the action',
      fix: 'Replace it with an Action.OpenUrl to a page that does the work, or remove it.',
    }));
}

const SCHEMA_FIXES: Record<string, string> = {
  InvalidPropertyValue: 'Use a value the Adaptive Cards schema allows for this property.',
  UnknownElementType: 'Use an element type of the declared card version, or add a "fallback".',
  UnknownActionType: 'Use an action type of the declared card version, or add a "fallback".',
  UnsupportedProperty: 'Remove the property, or raise "version" if Teams supports that version.',
  DuplicateId: 'Give each element its own "id".',
  MissingCardType: 'Set "type" to "AdaptiveCard" at the top of the template.',
};

function checkSchema(card: JsonObject, version: string): LimitViolation[] {
  const outputPaths = new Map<unknown, string>();
  walkJson(card, (value, path) => outputPaths.set(value, path));
  return validateCardSchema(card, version).map((issue) => ({
    path: outputPaths.get(issue.node) ?? '$',
    message: `Adaptive Cards ${version} schema: ${issue.message}`,
    fix:
      SCHEMA_FIXES[issue.event] ?? 'Correct the card until the Adaptive Cards Designer accepts it.',
  }));
}

/** Creates a CardProblem from its parts. */
export function problem(
  kind: CardProblemKind,
  file: string,
  path: string,
  message: string,
  fix: string,
): CardProblem {
  return { kind, file, path, message, fix };
}
