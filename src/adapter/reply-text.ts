import type { Entity } from 'botframework-schema';
import { decodeHTML } from 'entities';
import { escapeHtml } from '../bot/html-text';
import type { GuardChange } from './reply-guard';

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
const FENCE = /^\s*```/;

/**
 * Makes single line breaks visible in Teams, where a lone `\n` in message text is not a break.
 * A single break becomes `<br>`, or a blank line before a Markdown list item so the list still
 * renders. Blank lines and the inside of ``` code blocks stay as they are.
 */
export function renderLineBreaks(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let result = lines[0];
  let inFence = FENCE.test(lines[0]);
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1];
    const line = lines[i];
    if (inFence || previous === '' || line === '') {
      result += `\n${line}`;
    } else if (LIST_ITEM.test(line)) {
      result += `\n\n${line}`;
    } else {
      result += `<br>${line}`;
    }
    if (FENCE.test(line)) {
      inFence = !inFence;
    }
  }
  return result;
}

/** Escapes a name for an `<at>` tag in Teams message text. */
export const escapeMentionName = escapeHtml;

const AT_TAG = /<at>([\s\S]*?)<\/at>/g;

/**
 * Pairs every `<at>Name</at>` in the text with a mention entity, as Teams requires. Names are
 * HTML-escaped in the text and the entity alike. An `<at>` without an entity becomes plain
 * text, since no user id is known for it; a mention entity without its `<at>` is dropped.
 * Entities of other types are kept.
 */
export function reconcileMentions(
  text: string,
  entities: Entity[],
  changes: GuardChange[],
): { text: string; entities: Entity[] } {
  const mentions = entities.filter((entity) => entity.type === 'mention');
  const others = entities.filter((entity) => entity.type !== 'mention');
  const byName = new Map<string, Entity>();
  for (const mention of mentions) {
    const name = mentionName(mention);
    if (name !== undefined && !byName.has(name)) {
      byName.set(name, mention);
    }
  }

  const used = new Set<Entity>();
  const cleaned = text.replace(AT_TAG, (_tag, inner: string) => {
    const name = decodeHTML(inner);
    const mention = byName.get(name);
    if (mention === undefined) {
      changes.push({ code: 'mention_removed', detail: `no mention entity for <at>${inner}</at>` });
      return escapeMentionName(name);
    }
    used.add(mention);
    return `<at>${escapeMentionName(name)}</at>`;
  });

  const kept: Entity[] = [];
  for (const mention of mentions) {
    if (used.has(mention)) {
      const name = mentionName(mention) ?? '';
      kept.push({ ...mention, text: `<at>${escapeMentionName(name)}</at>` });
    } else {
      changes.push({ code: 'mention_removed', detail: 'mention entity without <at> in the text' });
    }
  }
  return { text: cleaned, entities: [...kept, ...others] };
}

/** Reads the plain name of a mention entity: its `<at>` text, else `mentioned.name`. */
function mentionName(mention: Entity): string | undefined {
  const text: unknown = mention.text;
  if (typeof text === 'string') {
    const match = /^<at>([\s\S]*)<\/at>$/.exec(text);
    if (match !== null) {
      return decodeHTML(match[1]);
    }
  }
  const mentioned: unknown = mention.mentioned;
  if (typeof mentioned === 'object' && mentioned !== null) {
    const name = (mentioned as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}
