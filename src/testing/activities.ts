import { createHash } from 'node:crypto';
import { escapeHtml } from '../bot/html-text';

/**
 * An activity as JSON on the wire. Its times are ISO-8601 strings, whereas botbuilder's Activity
 * type uses Date objects.
 */
export type WireActivity = Record<string, unknown> & { type: string; id: string; text: string };

/** A person mentioned in a message; `id` defaults to a user id derived from the name. */
export interface MentionedUser {
  id?: string;
  name: string;
}

/** The ids and names a built activity carries; every field has a realistic default. */
export interface ActivityOptions {
  /** Name users @mention; Teams puts it in the leading `<at>` of the text. */
  webhookName?: string;
  senderName?: string;
  senderAadObjectId?: string;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  /** Id of the thread's root message; a new thread when omitted. */
  threadRootId?: string;
  /** People mentioned after the webhook, in the order their `<at>` tags appear in `text`. */
  mentions?: MentionedUser[];
  /** Adds a mention entity for the webhook itself, which Teams sends only sometimes. */
  mentionWebhook?: boolean;
  timezone?: string;
  locale?: string;
  /** The activity time; now when omitted. */
  timestamp?: Date;
}

const DEFAULTS = {
  webhookName: 'HelperBot',
  senderName: 'Sam Rivera',
  senderAadObjectId: '11111111-2222-4333-8444-555555555555',
  tenantId: '99999999-8888-4777-8666-555555555555',
  teamId: '19:dddddddddddddddddddddddddddddddd@thread.tacv2',
  channelId: '19:cccccccccccccccccccccccccccccccc@thread.tacv2',
  timezone: 'Europe/Berlin',
  locale: 'en-US',
};

/** Id of the webhook's own account in mention entities; Teams gives each webhook a `28:` id. */
const WEBHOOK_ACCOUNT_ID = '28:00000000-1111-4222-8333-444444444444';

const TEAMS_MENTION_ITEMTYPE = 'http://schema.skype.com/Mention';

let lastMessageId = 0;

export { escapeHtml };

/**
 * Builds a channel message in the shape Teams sends today. The text is `<p>`-wrapped HTML that
 * starts with `<at>Webhook</at>&nbsp;`. Entities are mentions of other people and clientInfo,
 * channelData carries team, channel and tenant, and a `text/html` attachment copies the text with
 * mentions as `<span itemtype=…Mention>` elements. `typed` is the text after the mention:
 * `<at>Name</at>` in it stays a mention, and any other text, including non-ASCII, is escaped.
 */
export function buildMessageActivity(typed: string, options: ActivityOptions = {}): WireActivity {
  const o = { ...DEFAULTS, ...withoutUndefined(options) };
  const now = options.timestamp ?? new Date();
  const id = nextMessageId(now);
  const body = escapeHtml(typed).replace(/&lt;at&gt;(.*?)&lt;\/at&gt;/g, '<at>$1</at>');
  const html = `<p><at>${escapeHtml(o.webhookName)}</at>&nbsp;${body}</p>`;

  return {
    type: 'message',
    id,
    timestamp: teamsTimestamp(now),
    localTimestamp: localTimestamp(now, o.timezone),
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    from: {
      id: userIdFor(o.senderAadObjectId),
      name: o.senderName,
      aadObjectId: o.senderAadObjectId,
    },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: o.tenantId,
      id: `${o.channelId};messageid=${options.threadRootId ?? id}`,
    },
    textFormat: 'plain',
    text: html,
    attachments: [{ contentType: 'text/html', content: htmlAttachmentContent(html) }],
    entities: [...mentionEntities(o.webhookName, options), clientInfo(o.locale, o.timezone)],
    channelData: {
      teamsChannelId: o.channelId,
      teamsTeamId: o.teamId,
      channel: { id: o.channelId },
      team: { id: o.teamId },
      tenant: { id: o.tenantId },
    },
    replyToId: null,
    locale: o.locale,
    localTimezone: o.timezone,
  };
}

/**
 * Builds a reply inside an existing thread. Teams marks it only by the thread root's message id
 * at the end of `conversation.id`; `replyToId` stays null.
 */
export function buildThreadReply(
  typed: string,
  threadRootId: string,
  options: Omit<ActivityOptions, 'threadRootId'> = {},
): WireActivity {
  if (!/^\d+$/.test(threadRootId)) {
    throw new Error(
      `Invalid thread root id "${threadRootId}": Teams message ids are decimal epoch ` +
        'milliseconds, for example the `id` of an earlier built activity.',
    );
  }
  return buildMessageActivity(typed, { ...options, threadRootId });
}

/**
 * Serialises an activity as a request body. With `escapeNonAscii`, every character outside ASCII
 * becomes a `\uXXXX` escape: the same activity with different bytes, and so a different
 * signature, which catches servers that verify a re-serialised body instead of the raw bytes.
 */
export function toRequestBody(
  activity: WireActivity,
  options: { escapeNonAscii?: boolean } = {},
): string {
  const json = JSON.stringify(activity);
  if (!options.escapeNonAscii) {
    return json;
  }
  return json.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Drops undefined options, so they keep their defaults instead of overriding them. */
function withoutUndefined(options: ActivityOptions): ActivityOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** Teams message ids are epoch milliseconds; later ids are bumped so each one is unique. */
function nextMessageId(time: Date): string {
  lastMessageId = Math.max(time.getTime(), lastMessageId + 1);
  return String(lastMessageId);
}

/** Derives a `29:` user id in Teams' shape, the same for the same AAD object id or name. */
function userIdFor(seed: string): string {
  return `29:1fake${createHash('sha256').update(seed).digest('base64url').slice(0, 40)}`;
}

/** UTC with seven fractional digits, as Teams writes it: `2024-05-14T09:21:33.1230000Z`. */
function teamsTimestamp(time: Date): string {
  return time.toISOString().replace('Z', '0000Z');
}

/**
 * Formats the instant in the sender's time zone with its offset: `…11:21:33.1230000+02:00`. A
 * time zone that Intl does not know gets UTC, so tests can send such a zone in clientInfo.
 */
function localTimestamp(time: Date, timeZone: string): string {
  let offsetName: string | undefined;
  try {
    offsetName = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(time)
      .find((part) => part.type === 'timeZoneName')?.value;
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error;
    }
  }
  const offset = offsetName === undefined || offsetName === 'GMT' ? '+00:00' : offsetName.slice(3);
  const offsetMinutes = (offset.startsWith('-') ? -1 : 1) * minutesOf(offset.slice(1));
  const shifted = new Date(time.getTime() + offsetMinutes * 60_000);
  return shifted.toISOString().replace('Z', `0000${offset}`);
}

function minutesOf(hoursAndMinutes: string): number {
  const [hours, minutes] = hoursAndMinutes.split(':').map(Number);
  return hours * 60 + (minutes || 0);
}

function mentionEntities(webhookName: string, options: ActivityOptions): object[] {
  const people = (options.mentions ?? []).map((person) => ({
    type: 'mention',
    text: `<at>${escapeHtml(person.name)}</at>`,
    mentioned: { id: person.id ?? userIdFor(person.name), name: person.name },
  }));
  if (!options.mentionWebhook) {
    return people;
  }
  const self = {
    type: 'mention',
    text: `<at>${escapeHtml(webhookName)}</at>`,
    mentioned: { id: WEBHOOK_ACCOUNT_ID, name: webhookName },
  };
  return [self, ...people];
}

function clientInfo(locale: string, timezone: string): object {
  return { type: 'clientInfo', locale, country: 'US', platform: 'Web', timezone };
}

/** Copies the text as Teams' `text/html` attachment, each `<at>` a numbered mention span. */
function htmlAttachmentContent(html: string): string {
  let index = 0;
  return html.replace(
    /<at>(.*?)<\/at>/g,
    (_tag, name: string) =>
      `<span itemtype="${TEAMS_MENTION_ITEMTYPE}" itemscope="" itemid="${index++}">${name}</span>`,
  );
}
