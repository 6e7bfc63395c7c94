import { InvalidInputError } from './errors';
import { escapeMarkdown } from './markdown';

const RECORD_ID = /^E-?(\d{1,9})$/i;

/** Formats a record number as the id people type, for example 1001 as `E-1001`. */
export function formatRecordId(recordNumber: number): string {
  return `E-${recordNumber}`;
}

/** Tells whether `text` looks like a record id (`E-1001`, `e-1001` or `E1001`). */
export function isRecordId(text: string): boolean {
  return RECORD_ID.test(text);
}

/** Parses a record id into its number. Throws InvalidInputError naming the text otherwise. */
export function parseRecordId(text: string): number {
  const match = RECORD_ID.exec(text);
  if (match === null) {
    throw new InvalidInputError(
      `"${escapeMarkdown(text)}" is not a record id. Record ids look like E-1001.`,
    );
  }
  return Number(match[1]);
}
