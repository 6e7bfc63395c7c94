import { decodeHTML } from 'entities';

// The webhook's own mention: an <at> element at the very start, after optional opening tags such
// as <p> or <div> and whitespace. Its name may contain tags (an emoji <img>), so match lazily.
const LEADING_SELF_MENTION =
  /^(?:\s|&nbsp;|<(?!at[\s>])[a-z][^>]*>)*<at(?:\s[^>]*)?>[\s\S]*?<\/at>/i;
const MENTION = /<at(?:\s[^>]*)?>([\s\S]*?)<\/at>/gi;
const IMAGE = /<img\b[^>]*>/gi;
const IMAGE_ALT = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const LINE_BREAK = /<br\s*\/?>|<\/(?:p|div|li|tr|h[1-6])>/gi;
const TAG = /<\/?[a-z][^>]*>|<!--[\s\S]*?-->/gi;
const WHITESPACE = /[\s\u00a0\u200b\ufeff]+/g;

/**
 * Turns the HTML `text` of a Teams message into the command a person typed. The leading mention
 * of the webhook is removed whatever its name, and other people's mentions become their names.
 * Emoji images become their alt text, tags are stripped, every HTML entity is decoded and
 * whitespace is collapsed to single spaces. Works on text from any adapter, and the activity
 * keeps the original.
 */
export function cleanTeamsText(html: string | undefined | null): string {
  if (typeof html !== 'string' || html === '') {
    return '';
  }
  return decodeHTML(
    html
      .replace(LEADING_SELF_MENTION, ' ')
      .replace(IMAGE, imageAltText)
      .replace(MENTION, '$1')
      .replace(LINE_BREAK, ' ')
      .replace(TAG, ''),
  )
    .replace(WHITESPACE, ' ')
    .trim();
}

function imageAltText(tag: string): string {
  const alt = IMAGE_ALT.exec(tag);
  return alt === null ? '' : (alt[1] ?? alt[2] ?? alt[3]);
}

/** Splits cleaned text into the first word, lower-cased, and the rest as typed. */
export function splitCommand(text: string): { name: string; args: string } {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  if (match === null) {
    return { name: '', args: '' };
  }
  return { name: match[1].toLowerCase(), args: match[2] };
}
