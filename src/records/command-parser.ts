import { InvalidInputError } from './errors';
import {
  FIELD_SYNTAX,
  fieldKeyOf,
  isCalendarDate,
  normalizeFieldValue,
  yearZeroHint,
  type FieldValues,
} from './fields';
import { formatRecordId, isRecordId, parseRecordId } from './record-id';
import { escapeMarkdown } from './markdown';
import { tokenize, type Token } from './tokenize';

/** One `employee …` command, parsed and validated. */
export type EmployeeCommand =
  | { kind: 'help' }
  | { kind: 'add'; fields: FieldValues }
  | { kind: 'show'; recordNumber: number }
  | { kind: 'find'; name: string }
  | { kind: 'set'; recordNumber: number; fields: FieldValues }
  | { kind: 'remove'; recordNumber: number; confirm: boolean }
  | { kind: 'purge'; recordNumber: number; confirm: boolean }
  | { kind: 'list'; text: string; page: number };

/** A parsed `changes …` command; `since` is a YYYY-MM-DD date in the sender's time zone. */
export interface ChangesCommand {
  recordNumber?: number;
  since?: string;
}

export const EMPLOYEE_USAGE = [
  'employee add <name> [field=value ...]',
  'employee show <id or name>',
  'employee set <id> field=value ...',
  'employee remove <id>, then employee remove <id> confirm',
  'employee purge <id> confirm',
  'employee list [text] [page N]',
];

export const CHANGES_USAGE = 'changes [id] [since YYYY-MM-DD]';

const USAGE_BY_KIND: Record<string, string> = {
  add: 'employee add "Ana Núñez" title=Engineer email=ana@contoso.com start=2024-05-01',
  show: 'employee show E-1001',
  set: 'employee set E-1001 title="Senior Engineer"',
  remove: 'employee remove E-1001',
  purge: 'employee purge E-1001 confirm',
  list: 'employee list engineer page 2',
};

/** Parses the text after `employee`. Throws InvalidInputError with the right form. */
export function parseEmployeeCommand(args: string): EmployeeCommand {
  const tokens = tokenize(args);
  const [first, ...rest] = tokens;
  if (first === undefined || (first.kind === 'word' && /^(help|\?)$/i.test(first.text))) {
    return { kind: 'help' };
  }
  const action = first.kind === 'word' && !first.quoted ? first.text.toLowerCase() : '';
  switch (action) {
    case 'add':
      return { kind: 'add', fields: parseAddFields(rest) };
    case 'show':
      return parseShow(rest);
    case 'set':
      return parseSet(rest);
    case 'remove':
    case 'purge':
      return parseConfirmable(action, rest);
    case 'list':
      return parseList(rest);
    default:
      throw new InvalidInputError(
        `Unknown employee command ${quoted(tokenText(first))}. ` +
          `Use one of: ${EMPLOYEE_USAGE.join('; ')}.`,
      );
  }
}

function parseAddFields(tokens: Token[]): FieldValues {
  const nameEnd = tokens.findIndex((token) => token.kind === 'assignment');
  const nameWords = tokens.slice(0, nameEnd === -1 ? tokens.length : nameEnd);
  const fields = parseAssignments(tokens.slice(nameWords.length), 'add');
  if (nameWords.length > 0) {
    if (fields.name !== undefined) {
      throw usageError('The name is given twice, before the fields and as name=.', 'add');
    }
    fields.name = normalizeFieldValue('name', nameWords.map(tokenText).join(' '));
  }
  if (fields.name === undefined || fields.name === null) {
    throw usageError('The new record needs a name.', 'add');
  }
  return fields;
}

function parseShow(tokens: Token[]): EmployeeCommand {
  if (tokens.length === 0) {
    throw usageError('Say which record to show, by id or name.', 'show');
  }
  if (tokens.length === 1 && isRecordId(tokenText(tokens[0]))) {
    return { kind: 'show', recordNumber: parseRecordId(tokenText(tokens[0])) };
  }
  return { kind: 'find', name: tokens.map(tokenText).join(' ') };
}

function parseSet(tokens: Token[]): EmployeeCommand {
  const [target, ...rest] = tokens;
  if (target === undefined || target.kind !== 'word') {
    throw usageError('Say which record to change, then the fields.', 'set');
  }
  const recordNumber = parseRecordIdOrUsage(target, 'set');
  if (rest.length === 0) {
    throw usageError('Say which fields to change.', 'set');
  }
  return { kind: 'set', recordNumber, fields: parseAssignments(rest, 'set') };
}

function parseConfirmable(kind: 'remove' | 'purge', tokens: Token[]): EmployeeCommand {
  const [target, ...rest] = tokens;
  if (target === undefined || target.kind !== 'word') {
    throw usageError(`Say which record to ${kind}.`, kind);
  }
  const recordNumber = parseRecordIdOrUsage(target, kind);
  const extra = rest.map(tokenText).join(' ');
  if (extra !== '' && extra.toLowerCase() !== 'confirm') {
    throw usageError(`Only "confirm" may follow the id, not ${quoted(extra)}.`, kind);
  }
  return { kind, recordNumber, confirm: extra !== '' };
}

function parseList(tokens: Token[]): EmployeeCommand {
  let page = 1;
  const words = [...tokens];
  const last = words.at(-1);
  const beforeLast = words.at(-2);
  if (beforeLast?.kind === 'word' && !beforeLast.quoted && /^page$/i.test(beforeLast.text)) {
    page = parsePageNumber(last === undefined ? '' : tokenText(last));
    words.splice(-2, 2);
  } else if (last?.kind === 'word' && !last.quoted && /^page$/i.test(last.text)) {
    throw usageError('Give the page number after "page".', 'list');
  }
  return { kind: 'list', text: words.map(tokenText).join(' '), page };
}

function parsePageNumber(text: string): number {
  const page = Number(text);
  if (!/^\d{1,6}$/.test(text) || page < 1) {
    throw usageError(`${quoted(text)} is not a page number; pages start at 1.`, 'list');
  }
  return page;
}

/**
 * Reads `field=value` pairs. A plain word after an unquoted value continues that value, so
 * `title=Senior Engineer` sets the title to "Senior Engineer".
 */
function parseAssignments(tokens: Token[], kind: 'add' | 'set'): FieldValues {
  const typed: { field: string; value: string; quoted: boolean }[] = [];
  for (const token of tokens) {
    const previous = typed.at(-1);
    if (token.kind === 'assignment') {
      typed.push({ ...token });
    } else if (previous !== undefined && !previous.quoted && !token.quoted) {
      previous.value = `${previous.value} ${token.text}`;
    } else {
      throw usageError(`${quoted(token.text)} is not a field=value pair.`, kind);
    }
  }

  const fields: FieldValues = {};
  for (const { field, value } of typed) {
    const key = fieldOrUsage(field, kind);
    if (key in fields) {
      throw usageError(`The field ${escapeMarkdown(field)} is given twice.`, kind);
    }
    fields[key] = normalizeFieldValue(key, value);
  }
  return fields;
}

function fieldOrUsage(typed: string, kind: 'add' | 'set') {
  if (typed === '') {
    throw usageError('A field name is missing before "=".', kind);
  }
  const key = fieldKeyOf(typed);
  if (key === undefined) {
    throw usageError(`Unknown field ${quoted(typed)}. ${FIELD_SYNTAX}`, kind);
  }
  return key;
}

function parseRecordIdOrUsage(token: Token, kind: string): number {
  const text = tokenText(token);
  if (!isRecordId(text)) {
    throw usageError(`${quoted(text)} is not a record id; record ids look like E-1001.`, kind);
  }
  return parseRecordId(text);
}

/** Parses the text after `changes`. Throws InvalidInputError with the right form. */
export function parseChangesCommand(args: string): ChangesCommand {
  const tokens = tokenize(args);
  const command: ChangesCommand = {};
  for (let index = 0; index < tokens.length; index += 1) {
    const text = tokenText(tokens[index]);
    if (/^since$/i.test(text)) {
      if (command.since !== undefined) {
        throw changesUsageError('"since" is given twice. Give one date.');
      }
      command.since = parseSinceDate(tokens[index + 1]);
      index += 1;
    } else if (isRecordId(text)) {
      const recordNumber = parseRecordId(text);
      if (command.recordNumber !== undefined) {
        throw changesUsageError(
          `Give one record id, not both ${formatRecordId(command.recordNumber)} and ` +
            `${formatRecordId(recordNumber)}. To see the changes to every record, leave the ` +
            'id out.',
        );
      }
      command.recordNumber = recordNumber;
    } else {
      throw changesUsageError(`${quoted(text)} is not a record id or "since".`);
    }
  }
  return command;
}

function changesUsageError(problem: string): InvalidInputError {
  return new InvalidInputError(
    `${problem} Use: ${CHANGES_USAGE}, for example changes E-1001 since 2025-01-31.`,
  );
}

function parseSinceDate(token: Token | undefined): string {
  const text = token === undefined ? '' : tokenText(token);
  if (!isCalendarDate(text)) {
    const problem =
      text === ''
        ? 'A date is missing after "since".'
        : `${quoted(text)} is not a valid date.${yearZeroHint(text)}`;
    throw new InvalidInputError(
      `${problem} Use: ${CHANGES_USAGE}, for example changes since 2025-01-31.`,
    );
  }
  return text;
}

function usageError(problem: string, kind: string): InvalidInputError {
  return new InvalidInputError(`${problem} Example: ${USAGE_BY_KIND[kind]}`);
}

/** Quotes text that the sender typed, Markdown-escaped so the reply shows it as typed. */
function quoted(text: string): string {
  return `"${escapeMarkdown(text)}"`;
}

function tokenText(token: Token): string {
  return token.kind === 'word' ? token.text : `${token.field}=${token.value}`;
}
