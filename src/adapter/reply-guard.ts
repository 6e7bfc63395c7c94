import type { Activity, Attachment, Entity } from 'botframework-schema';
import {
  ADAPTIVE_CARD,
  HERO_CARD,
  THUMBNAIL_CARD,
  compareCardVersions,
  stripAdaptiveCardActions,
  stripRichCardActions,
} from '../cards/card-rules';
import { fitReplySize } from './reply-size';
import { reconcileMentions, renderLineBreaks } from './reply-text';

/** The text of a reply that had nothing Teams can show. */
export const EMPTY_REPLY_TEXT = 'I have no reply to that. Type **help** to see what I can do.';

/** The text of a reply whose only cards broke the rules Teams sets for webhook replies. */
export const CARD_NOT_SHOWN_TEXT =
  'The reply is a card that Teams cannot show in a webhook reply. The details are in the log.';

export interface ReplyLimits {
  /** Largest serialised reply, in UTF-8 bytes. */
  maxReplyBytes: number;
  /** Highest Adaptive Card version allowed, such as "1.4". */
  maxCardVersion: string;
}

/** A change the guard made to a reply, logged as a warning with the request id. */
export interface GuardChange {
  code: 'action_removed' | 'card_removed' | 'mention_removed' | 'text_shortened' | 'cards_replaced';
  detail: string;
}

export interface GuardedReply {
  reply: Partial<Activity>;
  changes: GuardChange[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes any reply one that Teams shows: a message object with text and cards only in
 * `attachments`. Actions other than open-URL are removed with a warning rather than failing the
 * reply, because the rest of the card still carries the content. Adaptive Cards of the wrong
 * type or above `maxCardVersion` are removed. Single line breaks become `<br>`, mentions and their
 * entities are matched up, and a reply over `maxReplyBytes` loses its cards first and then has its
 * text shortened with a visible marker.
 */
export function guardReply(reply: unknown, limits: ReplyLimits): GuardedReply {
  const changes: GuardChange[] = [];
  const source = isObject(reply) ? reply : {};
  const guarded: Partial<Activity> = { type: 'message' };

  const attachments = guardAttachments(source.attachments, limits, changes);
  if (attachments.length > 0) {
    guarded.attachments = attachments;
    if (typeof source.attachmentLayout === 'string') {
      guarded.attachmentLayout = source.attachmentLayout;
    }
  }

  const text = typeof source.text === 'string' ? renderLineBreaks(source.text) : '';
  const entities = Array.isArray(source.entities)
    ? source.entities.filter((entity): entity is Entity => isObject(entity))
    : [];
  const mentions = reconcileMentions(text, entities, changes);
  if (mentions.text.trim() !== '') {
    guarded.text = mentions.text;
  }
  if (mentions.entities.length > 0) {
    guarded.entities = mentions.entities;
  }

  // Teams shows its generic error for a message with neither text nor cards.
  if (guarded.text === undefined && guarded.attachments === undefined) {
    const removedCards = changes.some((change) => change.code === 'card_removed');
    guarded.text = removedCards ? CARD_NOT_SHOWN_TEXT : EMPTY_REPLY_TEXT;
  }
  return { reply: fitReplySize(guarded, limits.maxReplyBytes, changes), changes };
}

function guardAttachments(value: unknown, limits: ReplyLimits, changes: GuardChange[]) {
  if (!Array.isArray(value)) {
    return [];
  }
  const kept: Attachment[] = [];
  value.forEach((item, index) => {
    const attachment = guardAttachment(item, index, limits, changes);
    if (attachment !== undefined) {
      kept.push(attachment);
    }
  });
  return kept;
}

function guardAttachment(
  item: unknown,
  index: number,
  limits: ReplyLimits,
  changes: GuardChange[],
): Attachment | undefined {
  const where = `attachments[${index}]`;
  if (!isObject(item) || typeof item.contentType !== 'string') {
    changes.push({ code: 'card_removed', detail: `${where} has no contentType` });
    return undefined;
  }
  const { contentType } = item;
  if (contentType === ADAPTIVE_CARD) {
    return guardAdaptiveCard(item, where, limits, changes);
  }
  if ((contentType === HERO_CARD || contentType === THUMBNAIL_CARD) && isObject(item.content)) {
    const { card, removed } = stripRichCardActions(item.content);
    removed.forEach(({ path, actionType }) =>
      changes.push({ code: 'action_removed', detail: `${where} ${path} (${actionType})` }),
    );
    return { ...item, contentType, content: card };
  }
  return item as unknown as Attachment;
}

function guardAdaptiveCard(
  item: Json,
  where: string,
  limits: ReplyLimits,
  changes: GuardChange[],
): Attachment | undefined {
  const content = typeof item.content === 'string' ? parseJson(item.content) : item.content;
  if (!isObject(content) || content.type !== 'AdaptiveCard') {
    changes.push({ code: 'card_removed', detail: `${where} is not an AdaptiveCard` });
    return undefined;
  }
  const version = typeof content.version === 'string' ? content.version : '';
  if (!(compareCardVersions(version, limits.maxCardVersion) <= 0)) {
    changes.push({
      code: 'card_removed',
      detail: `${where} declares version "${version}"; the maximum is ${limits.maxCardVersion}`,
    });
    return undefined;
  }
  const { card, removed } = stripAdaptiveCardActions(content);
  removed.forEach(({ path, actionType }) =>
    changes.push({ code: 'action_removed', detail: `${where} ${path} (${actionType})` }),
  );
  return { ...item, contentType: ADAPTIVE_CARD, content: card };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
