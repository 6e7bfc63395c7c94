import { InvalidInputError } from './errors';
import { escapeMarkdown } from './markdown';
import { utcTime } from './time-zone';

/** The fields of an employee record, in display order. */
export const FIELD_KEYS = [
  'name',
  'title',
  'department',
  'location',
  'manager',
  'email',
  'startDate',
] as const;

export type FieldKey = (typeof FIELD_KEYS)[number];

/** Field values of one command: a string sets the field, null clears it. */
export type FieldValues = Partial<Record<FieldKey, string | null>>;

/** Every field of a stored record; null when the field is empty. */
export type RecordFields = Record<FieldKey, string | null>;

/** Maximum length of a text field other than the email address, in characters. */
export const MAX_TEXT_LENGTH = 200;

/** RFC 5321 limits a forward path, and so a usable address, to 254 characters. */
const MAX_EMAIL_LENGTH = 254;

/** Labels shown on cards. */
export const FIELD_LABELS: Record<FieldKey, string> = {
  name: 'Name',
  title: 'Title',
  department: 'Department',
  location: 'Location',
  manager: 'Manager',
  email: 'Email',
  startDate: 'Start date',
};

/** Names users may type before `=`, lower-cased, with the field each one sets. */
const FIELD_NAMES: Record<string, FieldKey> = {
  name: 'name',
  title: 'title',
  department: 'department',
  dept: 'department',
  location: 'location',
  manager: 'manager',
  email: 'email',
  start: 'startDate',
  startdate: 'startDate',
  start_date: 'startDate',
  'start-date': 'startDate',
};

/** Syntax of the fields, for help text and error replies. */
export const FIELD_SYNTAX =
  'Fields: name, title, department, location, manager, email, start (YYYY-MM-DD).';

const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// C0 and C1 control characters and DEL; cleaned command text has only spaces as whitespace.
const CONTROL = /\p{Cc}/u;

/** Returns the field that `typed` names, ignoring case and aliases, or undefined. */
export function fieldKeyOf(typed: string): FieldKey | undefined {
  return FIELD_NAMES[typed.toLowerCase()];
}

/**
 * Validates and normalises one typed value: trimmed, NFC-normalised, an empty value clears
 * the field. Throws InvalidInputError naming the value and the expected form.
 */
export function normalizeFieldValue(field: FieldKey, typed: string): string | null {
  const value = typed.normalize('NFC').trim();
  if (value === '') {
    if (field === 'name') {
      throw new InvalidInputError('The name cannot be empty. Example: name="Ana Núñez"');
    }
    return null;
  }
  const label = FIELD_LABELS[field].toLowerCase();
  const control = CONTROL.exec(value);
  if (control !== null) {
    throw new InvalidInputError(
      `The ${label} contains the control character ${codePointName(control[0])}. ` +
        'Remove it and send the command again.',
    );
  }
  const maxLength = field === 'email' ? MAX_EMAIL_LENGTH : MAX_TEXT_LENGTH;
  const length = [...value].length;
  if (length > maxLength) {
    throw new InvalidInputError(
      `The ${label} is ${length} characters long, but the maximum is ${maxLength}. ` +
        'Shorten it and send the command again.',
    );
  }
  if (field === 'email') {
    validateEmail(value);
  }
  if (field === 'startDate') {
    validateDate(value);
  }
  return value;
}

/** Returns the Unicode name form of a character, for example U+0007. */
function codePointName(character: string): string {
  const hex = (character.codePointAt(0) ?? 0).toString(16).toUpperCase();
  return `U+${hex.padStart(4, '0')}`;
}

function validateEmail(value: string): void {
  if (!EMAIL.test(value)) {
    throw new InvalidInputError(
      `"${escapeMarkdown(value)}" is not a valid email address. ` +
        'Example: email=ana.nunez@contoso.com',
    );
  }
}

function validateDate(value: string): void {
  if (!isCalendarDate(value)) {
    throw new InvalidInputError(
      `"${escapeMarkdown(value)}" is not a valid start date.${yearZeroHint(value)} ` +
        'Use YYYY-MM-DD, for example start=2024-05-01.',
    );
  }
}

/**
 * Tells whether `text` is a YYYY-MM-DD date from 0001-01-01 to 9999-12-31 that exists in the
 * Gregorian calendar, extended to years before 1582 as ISO 8601 does.
 */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(utcTime(year, month, day));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** Returns a sentence explaining that years start at 0001 when `text` has the year 0000. */
export function yearZeroHint(text: string): string {
  return text.startsWith('0000-') ? ' Years start at 0001.' : '';
}

/**
 * Folds text for case- and accent-insensitive search: NFD, combining marks removed,
 * lower-cased. "Núñez" and "NUNEZ" both fold to "nunez".
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('und');
}

/** Returns a record with every field empty. */
export function emptyFields(): RecordFields {
  return {
    name: null,
    title: null,
    department: null,
    location: null,
    manager: null,
    email: null,
    startDate: null,
  };
}
