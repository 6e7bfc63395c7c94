import type {
  Activity,
  Attachment,
  ChannelAccount,
  ConversationAccount,
  Entity,
} from 'botframework-schema';

export type ActivityFailure = 'body_not_utf8' | 'body_not_json' | 'activity_invalid';

export type ParsedActivity =
  { ok: true; activity: Activity } | { ok: false; reason: ActivityFailure };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a verified request body into an activity. Only a string `type` is required: missing or
 * malformed `from`, `conversation`, `recipient`, `channelData`, `entities`, `attachments` and
 * `text` are replaced by empty values, so handlers never meet `null` where botbuilder's types
 * promise an object.
 */
export function parseActivity(body: Buffer): ParsedActivity {
  const decoded = decodeJsonBody(body);
  if (!decoded.ok) {
    return decoded;
  }
  const { value } = decoded;
  if (!isObject(value) || typeof value.type !== 'string' || value.type === '') {
    return { ok: false, reason: 'activity_invalid' };
  }
  return { ok: true, activity: withDefaults(value) };
}

export type DecodedBody =
  { ok: true; value: unknown } | { ok: false; reason: 'body_not_utf8' | 'body_not_json' };

/** Decodes a request body as strict UTF-8 (a byte order mark is skipped) and parses its JSON. */
export function decodeJsonBody(body: Buffer): DecodedBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, reason: 'body_not_utf8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'body_not_json' };
  }
}

function withDefaults(raw: Record<string, unknown>): Activity {
  const activity = { ...raw } as unknown as Activity;
  activity.from = account(raw.from);
  activity.recipient = account(raw.recipient);
  activity.conversation = {
    isGroup: true,
    conversationType: 'channel',
    ...account(raw.conversation),
  } as ConversationAccount;
  activity.channelId = typeof raw.channelId === 'string' ? raw.channelId : 'msteams';
  activity.serviceUrl = typeof raw.serviceUrl === 'string' ? raw.serviceUrl : '';
  activity.text = typeof raw.text === 'string' ? raw.text : '';
  activity.channelData = isObject(raw.channelData) ? raw.channelData : {};
  activity.entities = objectsWithString(raw.entities, 'type') as unknown as Entity[];
  activity.attachments = objectsWithString(
    raw.attachments,
    'contentType',
  ) as unknown as Attachment[];
  return activity;
}

/** Keeps the items of an array that are objects with a string `field`. */
function objectsWithString(value: unknown, field: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter((item) => isObject(item) && typeof item[field] === 'string');
}

/** Keeps an account object whose `id` is a string; anything else becomes an empty account. */
function account(value: unknown): ChannelAccount {
  if (!isObject(value)) {
    return { id: '', name: '' };
  }
  return {
    ...value,
    id: typeof value.id === 'string' ? value.id : '',
    name: typeof value.name === 'string' ? value.name : '',
  } as ChannelAccount;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
