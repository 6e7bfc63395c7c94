import type { Activity } from 'botframework-schema';
import type { GuardChange } from './reply-guard';
import { reconcileMentions } from './reply-text';

export const SHORTENED_MARKER = ' … [message shortened]';
export const CARDS_TOO_LARGE_TEXT = 'The answer was too large to show as a card in Teams.';

/** Size of a reply as Teams receives it: UTF-8 bytes of its JSON. */
export function replyBytes(reply: Partial<Activity>): number {
  return Buffer.byteLength(JSON.stringify(reply), 'utf8');
}

/**
 * Fits a reply into `maxBytes`. Cards go first, replaced by a short note, because a cut card is
 * broken. Then the text is cut at a character boundary outside any tag or entity, and marked.
 */
export function fitReplySize(
  reply: Partial<Activity>,
  maxBytes: number,
  changes: GuardChange[],
): Partial<Activity> {
  if (replyBytes(reply) <= maxBytes) {
    return reply;
  }
  let fitted: Partial<Activity> = reply;
  if (reply.attachments !== undefined) {
    const { attachments: _cards, attachmentLayout: _layout, ...rest } = reply;
    fitted = { ...rest, text: joinText(rest.text, CARDS_TOO_LARGE_TEXT) };
    changes.push({
      code: 'cards_replaced',
      detail: `${reply.attachments.length} card(s) made the reply ${replyBytes(reply)} bytes`,
    });
    if (replyBytes(fitted) <= maxBytes) {
      return fitted;
    }
  }
  return shortenText(fitted, maxBytes, changes);
}

function joinText(text: string | undefined, note: string): string {
  return text === undefined || text === '' ? note : `${text}\n\n${note}`;
}

function shortenText(
  reply: Partial<Activity>,
  maxBytes: number,
  changes: GuardChange[],
): Partial<Activity> {
  const characters = Array.from(reply.text ?? '');
  const build = (count: number): Partial<Activity> => {
    const cut = trimPartialMarkup(characters.slice(0, count).join(''));
    const mentions = reconcileMentions(cut, reply.entities ?? [], []);
    const shortened: Partial<Activity> = { ...reply, text: `${mentions.text}${SHORTENED_MARKER}` };
    if (mentions.entities.length > 0) {
      shortened.entities = mentions.entities;
    } else {
      delete shortened.entities;
    }
    return shortened;
  };

  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (replyBytes(build(middle)) <= maxBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  changes.push({
    code: 'text_shortened',
    detail: `text cut from ${characters.length} to ${low} characters`,
  });
  return build(low);
}

/** Drops an unfinished tag, entity or `<at>` element from the end of cut text. */
function trimPartialMarkup(text: string): string {
  let result = text;
  const openAt = result.lastIndexOf('<at>');
  if (openAt > result.lastIndexOf('</at>')) {
    result = result.slice(0, openAt);
  }
  const openTag = result.lastIndexOf('<');
  if (openTag > result.lastIndexOf('>')) {
    result = result.slice(0, openTag);
  }
  const entity = /&[#a-zA-Z0-9]{0,10}$/.exec(result);
  return entity === null ? result : result.slice(0, entity.index);
}
