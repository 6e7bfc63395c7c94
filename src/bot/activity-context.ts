import type { Activity } from 'botframework-schema';

/** Sender, tenant, team, channel and time zone of an activity; every field has a safe default. */
export interface ActivityContext {
  /** Lower-cased tenant id from channelData.tenant.id, else conversation.tenantId. */
  tenantId?: string;
  user: {
    /** The channel's user id, for example `29:…`. */
    id: string;
    name: string;
    /** Lower-cased Azure AD object id; Teams sends it for signed-in users. */
    aadObjectId?: string;
  };
  team: { id: string; name?: string };
  channel: { id: string; name?: string };
  conversationId: string;
  activityId?: string;
  /** IANA time zone of the sender's client, or `UTC` when the activity names none or a bad one. */
  timeZone: string;
}

type Json = Record<string, unknown>;

/**
 * Reads tenant, user, team, channel and time zone from an activity of any adapter. Teams puts
 * the ids in channelData (older payloads only `teamsTeamId` and `teamsChannelId`) and the time
 * zone in the clientInfo entity or `localTimezone`.
 */
export function readActivityContext(activity: Partial<Activity>): ActivityContext {
  const channelData = objectOr(activity.channelData);
  const conversation = objectOr(activity.conversation);
  const from = objectOr(activity.from);
  const conversationId = stringOr(conversation.id) ?? '';

  const team = objectOr(channelData.team);
  const channel = objectOr(channelData.channel);
  return {
    tenantId: (
      stringOr(objectOr(channelData.tenant).id) ?? stringOr(conversation.tenantId)
    )?.toLowerCase(),
    user: {
      id: stringOr(from.id) ?? '',
      name: stringOr(from.name) ?? '',
      aadObjectId: stringOr(from.aadObjectId)?.toLowerCase(),
    },
    team: place(stringOr(team.id) ?? stringOr(channelData.teamsTeamId), team.name),
    channel: place(
      stringOr(channel.id) ?? stringOr(channelData.teamsChannelId) ?? conversationId.split(';')[0],
      channel.name,
    ),
    conversationId,
    activityId: stringOr(activity.id),
    timeZone: readTimeZone(activity),
  };
}

function readTimeZone(activity: Partial<Activity>): string {
  const clientInfo = (Array.isArray(activity.entities) ? activity.entities : [])
    .map(objectOr)
    .find((entity) => entity.type === 'clientInfo');
  const candidates = [clientInfo?.timezone, clientInfo?.localTimezone, activity.localTimezone];
  for (const candidate of candidates) {
    const zone = stringOr(candidate);
    if (zone !== undefined && isKnownTimeZone(zone)) {
      return zone;
    }
  }
  return 'UTC';
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function place(id: string | undefined, name: unknown): { id: string; name?: string } {
  const text = stringOr(name);
  return text === undefined ? { id: id ?? '' } : { id: id ?? '', name: text };
}

function objectOr(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
