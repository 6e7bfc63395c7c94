import { Expression, SimpleObjectMemory, type MemoryInterface } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';
import { formatChildPath, isJsonObject } from './json-path';

/** A binding that cannot be expanded with the sample data, at a JSON path of the template. */
export interface BindingProblem {
  kind: 'invalid-expression' | 'unbound';
  path: string;
  message: string;
  fix: string;
}

/** The data a binding is evaluated against: the whole data, the `$data` item and its index. */
interface Scope {
  $root: unknown;
  $data: unknown;
  $index?: number;
}

/** Variables the templating library provides itself, which sample data need not contain. */
const BUILT_IN_VARIABLES = ['$index', '$host', '$_acTemplateVersion'];

/**
 * Resolves paths the way adaptivecards-templating does: a path that does not start with `$`
 * is read from the current `$data` item.
 */
class ScopeMemory implements MemoryInterface {
  private readonly memory: SimpleObjectMemory;

  constructor(scope: Scope) {
    this.memory = new SimpleObjectMemory(scope);
  }

  getValue(path: string): unknown {
    return this.memory.getValue(path.startsWith('$') ? path : `$data.${path}`);
  }

  setValue(path: string, value: unknown): void {
    this.memory.setValue(path, value);
  }

  version(): string {
    return this.memory.version();
  }
}

/**
 * Checks every `${...}` binding of `template` against `data`, following `$data` into each item
 * as the templating library does. Reports expressions that do not parse or call an unknown
 * function, bindings whose value is missing or null in the data, and `$data` arrays that are
 * empty, so the part they repeat never shows. `dataFile` names the sample data in fixes.
 */
export function checkBindings(
  template: unknown,
  data: unknown,
  dataFile: string,
): BindingProblem[] {
  const problems = new Map<string, BindingProblem>();
  const report = (problem: BindingProblem) =>
    problems.set(`${problem.path} ${problem.message}`, problem);
  walkTemplate(template, '$', { $root: data, $data: data }, { dataFile, report });
  return [...problems.values()];
}

interface WalkState {
  dataFile: string;
  report: (problem: BindingProblem) => void;
}

function walkTemplate(node: unknown, path: string, scope: Scope, state: WalkState): void {
  if (typeof node === 'string') {
    checkString(node, path, scope, state);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => walkTemplate(item, formatChildPath(path, index), scope, state));
  } else if (isJsonObject(node)) {
    for (const itemScope of enterData(node, path, scope, state)) {
      walkObject(node, path, itemScope, state);
    }
  }
}

function walkObject(
  node: Record<string, unknown>,
  path: string,
  scope: Scope,
  state: WalkState,
): void {
  if (typeof node.$when === 'string') {
    const bound = checkString(node.$when, formatChildPath(path, '$when'), scope, state);
    // The part's own bindings would repeat the same missing data, so one problem is enough.
    if (!bound) {
      return;
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== '$data' && key !== '$when') {
      walkTemplate(child, formatChildPath(path, key), scope, state);
    }
  }
}

/** Returns the scopes the object's children see: one per `$data` item, or the current one. */
function enterData(
  node: Record<string, unknown>,
  path: string,
  scope: Scope,
  state: WalkState,
): Scope[] {
  if (!('$data' in node)) {
    return [scope];
  }
  const dataPath = formatChildPath(path, '$data');
  let value = node.$data;
  if (typeof value === 'string') {
    if (!checkString(value, dataPath, scope, state)) {
      // The templating library keeps the current data when `$data` has no value.
      return [scope];
    }
    value = evaluate(value, scope);
  }
  if (!Array.isArray(value)) {
    return [{ ...scope, $data: value }];
  }
  if (value.length === 0) {
    state.report({
      kind: 'unbound',
      path: dataPath,
      message: `"$data" is an empty array in the sample data, so this part never shows`,
      fix: `Add at least one item to that array in ${state.dataFile}.`,
    });
  }
  return value.map((item, index) => ({ ...scope, $data: item, $index: index }));
}

/**
 * Returns a copy of `template` in which every string whose bindings do not parse is empty, so
 * the rest of the template can still be expanded and checked.
 */
export function blankInvalidBindings(template: unknown): unknown {
  if (typeof template === 'string') {
    return parseBindings(template) === undefined ? '' : template;
  }
  if (Array.isArray(template)) {
    return template.map(blankInvalidBindings);
  }
  if (!isJsonObject(template)) {
    return template;
  }
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [key, blankInvalidBindings(value)]),
  );
}

/** Parses the `${...}` bindings of `text` as one expression, or returns undefined if invalid. */
function parseBindings(text: string): Expression | undefined {
  try {
    // The templating library parses a string with bindings as an interpolated string like this.
    return Expression.parse(`\`${text}\``);
  } catch {
    return undefined;
  }
}

function evaluate(text: string, scope: Scope): unknown {
  const parsed = Template.parseInterpolatedString(text);
  if (typeof parsed === 'string') {
    return parsed;
  }
  try {
    return parsed.tryEvaluate(new ScopeMemory(scope)).value;
  } catch {
    return undefined;
  }
}

/**
 * Checks the bindings of one string. Returns false when an expression does not parse or a
 * binding has no data, after reporting it.
 */
function checkString(text: string, path: string, scope: Scope, state: WalkState): boolean {
  if (!text.includes('${')) {
    return true;
  }
  let expression: Expression;
  try {
    expression = Expression.parse(`\`${text}\``);
  } catch (error) {
    state.report({
      kind: 'invalid-expression',
      path,
      message: `the binding expression in ${JSON.stringify(text)} is invalid: ${firstLine(error)}`,
      fix: 'Correct the expression inside ${...}; the Adaptive Cards Designer previews it live.',
    });
    return false;
  }
  const memory = new ScopeMemory(scope);
  const missing = expression
    .references()
    .filter((reference) => !BUILT_IN_VARIABLES.some((name) => reference.startsWith(name)))
    .filter((reference) => memory.getValue(reference) == null);
  for (const reference of missing) {
    state.report({
      kind: 'unbound',
      path,
      message: `the binding "${reference}" in ${JSON.stringify(text)} has no sample data`,
      fix: `Add a value for "${reference}" to ${state.dataFile}, or correct the name in the template.`,
    });
  }
  return missing.length === 0;
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0];
}
