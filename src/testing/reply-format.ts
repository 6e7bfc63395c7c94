import {
  isOpenUrlAction,
  type CardButton,
  type CardPart,
  type ReplySummary,
} from './reply-summary';

const INDENT = '  ';

/**
 * Formats a reply summary as indented plain-text lines: the text, the mentions, then each card's
 * title, its texts and fact sets in card order, buttons with their URLs, and images. Buttons
 * other than open-URL are marked, because Teams does nothing when they are pressed in an
 * outgoing-webhook reply.
 */
export function formatReplySummary(summary: ReplySummary): string[] {
  const lines: string[] = [];
  if (summary.text !== undefined) {
    lines.push(...labelled('Text', summary.text, ''));
  }
  if (summary.mentions.length > 0) {
    lines.push('Mentions:');
    summary.mentions.forEach(({ text, id, name }) => {
      lines.push(`${INDENT}${text || '(no text)'} -> ${name || '(no name)'} (${id || 'no id'})`);
    });
  }
  summary.cards.forEach((card, index) => {
    lines.push(`Card ${index + 1} of ${summary.cards.length}: ${card.kind}`);
    if (card.title !== undefined) {
      lines.push(...labelled('Title', card.title, INDENT));
    }
    card.parts.forEach((part) => formatPart(lines, part));
    section(lines, 'Buttons', card.buttons, formatButton);
    section(lines, 'Images', card.images, (url) => url);
  });
  if (lines.length === 0) {
    lines.push('(no text and no cards)');
  }
  return lines;
}

function formatPart(lines: string[], part: CardPart): void {
  if ('text' in part) {
    lines.push(...labelled('Text', part.text, INDENT));
  } else {
    section(lines, 'Facts', part.facts, (fact) => `${fact.title}: ${fact.value}`);
  }
}

function formatButton(button: CardButton): string {
  if (isOpenUrlAction(button.type)) {
    return `${button.title}: ${button.url || '(no URL)'}`;
  }
  return `${button.title}: ${button.type}, which does nothing in an outgoing-webhook reply`;
}

function section<T>(lines: string[], title: string, items: T[], format: (item: T) => string) {
  if (items.length === 0) {
    return;
  }
  lines.push(`${INDENT}${title}:`);
  items.forEach((item) => lines.push(...labelled('', format(item), INDENT + INDENT)));
}

/** Puts `label: ` before the first line of `value` and aligns its further lines under it. */
function labelled(label: string, value: string, indent: string): string[] {
  const prefix = label === '' ? '' : `${label}: `;
  const [first, ...rest] = value.split(/\r?\n/);
  const continuation = indent + ' '.repeat(prefix.length);
  const further = rest.map((line) => (line === '' ? '' : `${continuation}${line}`));
  return [`${indent}${prefix}${first}`, ...further];
}
