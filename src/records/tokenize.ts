import { InvalidInputError } from './errors';
import { escapeMarkdown } from './markdown';

/** A word of a command; `quoted` words are never read as keywords or `field=value` pairs. */
export interface WordToken {
  kind: 'word';
  text: string;
  quoted: boolean;
}

/** A `field=value` pair as typed; the field name is not checked here. */
export interface AssignmentToken {
  kind: 'assignment';
  field: string;
  value: string;
  quoted: boolean;
}

export type Token = WordToken | AssignmentToken;

// Teams clients often replace straight quotes with typographic ones, and some keyboards type
// low opening quotes („ ‚), so each opening quote accepts any closing quote of its family.
const DOUBLE_QUOTES = '"“”„';
const DOUBLE_CLOSERS = '"“”';
const SINGLE_QUOTES = "'‘’‚";
const SINGLE_CLOSERS = "'‘’";

/**
 * Splits command arguments into words and `field=value` pairs. A quote starts a quoted text
 * only at the start of a word or right after `=`, so apostrophes inside words (O'Brien) stay
 * literal. A quoted text ends at the first closing quote that is followed by a space or the
 * end, which lets it contain quotes of its own. Throws InvalidInputError for a quote that
 * never closes.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index])) {
      index += 1;
      continue;
    }
    if (isOpeningQuote(text[index])) {
      const quoted = readQuoted(text, index);
      tokens.push({ kind: 'word', text: quoted.text, quoted: true });
      index = quoted.end;
      continue;
    }
    const read = readWordOrAssignment(text, index);
    tokens.push(read.token);
    index = read.end;
  }
  return tokens;
}

function readWordOrAssignment(text: string, start: number): { token: Token; end: number } {
  let index = start;
  while (index < text.length && !/\s/.test(text[index]) && text[index] !== '=') {
    index += 1;
  }
  if (text[index] !== '=') {
    return { token: { kind: 'word', text: text.slice(start, index), quoted: false }, end: index };
  }

  const field = text.slice(start, index);
  const valueStart = index + 1;
  if (valueStart < text.length && isOpeningQuote(text[valueStart])) {
    const quoted = readQuoted(text, valueStart);
    return {
      token: { kind: 'assignment', field, value: quoted.text, quoted: true },
      end: quoted.end,
    };
  }
  let end = valueStart;
  while (end < text.length && !/\s/.test(text[end])) {
    end += 1;
  }
  const value = text.slice(valueStart, end);
  return { token: { kind: 'assignment', field, value, quoted: false }, end };
}

function readQuoted(text: string, start: number): { text: string; end: number } {
  const closers = DOUBLE_QUOTES.includes(text[start]) ? DOUBLE_CLOSERS : SINGLE_CLOSERS;
  for (let index = start + 1; index < text.length; index += 1) {
    const atWordEnd = index + 1 === text.length || /\s/.test(text[index + 1]);
    if (closers.includes(text[index]) && atWordEnd) {
      return { text: text.slice(start + 1, index), end: index + 1 };
    }
  }
  const opened = escapeMarkdown(text.slice(start, start + 20));
  throw new InvalidInputError(
    `The quote at ${opened}… is never closed. Put the value between matching quotes, for ` +
      'example title="Senior Engineer".',
  );
}

function isOpeningQuote(character: string): boolean {
  return DOUBLE_QUOTES.includes(character) || SINGLE_QUOTES.includes(character);
}
