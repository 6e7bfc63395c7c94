/**
 * Escaping of user-provided text for Teams, which renders a Markdown subset in message text and
 * in Adaptive Card TextBlocks and facts: bold, italic, links, and bulleted or numbered lists.
 * Microsoft documents the card subset as part of CommonMark, where a backslash before ASCII
 * punctuation shows that character as typed. Escaping changes only what is displayed: stored
 * values keep their own text.
 */

// NOTE: Teams does not document backslash escapes. Public bug reports from 2021 to 2023 show
// Teams desktop hiding the backslash in cards while Teams mobile showed it, so some clients may
// show a value as `R\_D`, which is still literal text. No report covers message text.

/** Characters that open or close emphasis, links, strikethrough and code anywhere in a line. */
const INLINE_MARKUP = /[\\`*_~[\]()]/g;
/** Headings, block quotes and bullets, which count only at the start of a line. */
const LINE_START_MARKUP = /^(\s*)([#>+-])/gm;
/** A number followed by a dot at the start of a line, which starts a numbered list. */
const NUMBERED_ITEM = /^(\s*\d+)\./gm;
/** A character reference such as `&lt;` or `&#42;`, which CommonMark decodes. */
const CHARACTER_REFERENCE = /&(?=#?[0-9A-Za-z]+;)/g;

/**
 * Backslash-escapes the Markdown in `text`, so Teams message text shows it as typed. Escaping
 * `(` also defuses the `{{DATE(…)}}` and `{{TIME(…)}}` functions of card text, which renderers
 * such as adaptivecards 3.0 expand before the Markdown. Non-ASCII characters are unchanged.
 * `<` stays, because the only link it can start, `<https://…>`, shows its own address. Text
 * replies escape `&`, `<` and `>` as HTML afterwards.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_MARKUP, '\\$&')
    .replace(LINE_START_MARKUP, '$1\\$2')
    .replace(NUMBERED_ITEM, '$1\\.');
}

/**
 * Escapes `text` for an Adaptive Card TextBlock or fact: the Markdown as in escapeMarkdown, and
 * the `&` of character references, which card text does not HTML-escape.
 */
export function escapeCardText(text: string): string {
  return escapeMarkdown(text).replace(CHARACTER_REFERENCE, '\\&');
}
