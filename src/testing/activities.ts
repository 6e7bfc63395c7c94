/**
 * An activity as JSON on the wire: times are ISO-8601 strings, unlike botbuilder's Activity type,
 * which holds Date objects.
 */
export type WireActivity = Record<string, unknown> & { type: string; id: string; text: string };

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
  mentions?: { id: string; name: string }[];
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

let sequence = 0;

/** Escapes text for Teams' HTML `text` field. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Builds a channel message in the shape Teams sends today: `<p>`-wrapped HTML text that starts
 * with `<at>Webhook</at>&nbsp;`, a clientInfo entity, mention entities for other people,
 * channelData with team, channel and tenant, and a `text/html` attachment copy. `typed` is what
 * the person typed after the mention; `<at>Name</at>` in it stays a mention.
 */
export function buildMessageActivity(typed: string, options: ActivityOptions = {}): WireActivity {
  const o = { ...DEFAULTS, ...options };
  const now = options.timestamp ?? new Date();
  const id = String(now.getTime() * 1000 + (sequence++ % 1000));
  const threadRoot = options.threadRootId ?? id;
  const body = escapeHtml(typed).replace(/&lt;at&gt;(.*?)&lt;\/at&gt;/g, '<at>$1</at>');
  const html = `<p><at>${escapeHtml(o.webhookName)}</at>&nbsp;${body}</p>`;

  return {
    type: 'message',
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    from: {
      id: `29:1fake-${o.senderAadObjectId}`,
      name: o.senderName,
      aadObjectId: o.senderAadObjectId,
    },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: o.tenantId,
      id: `${o.channelId};messageid=${threadRoot}`,
    },
    textFormat: 'plain',
    text: html,
    attachments: [{ contentType: 'text/html', content: html }],
    entities: [
      ...(options.mentions ?? []).map((person) => ({
        type: 'mention',
        text: `<at>${escapeHtml(person.name)}</at>`,
        mentioned: person,
      })),
      {
        type: 'clientInfo',
        locale: o.locale,
        country: 'US',
        platform: 'Web',
        timezone: o.timezone,
      },
    ],
    channelData: {
      teamsChannelId: o.channelId,
      teamsTeamId: o.teamId,
      channel: { id: o.channelId },
      team: { id: o.teamId },
      tenant: { id: o.tenantId },
    },
    locale: o.locale,
    localTimezone: o.timezone,
  };
}
