import { MessageFactory } from 'botbuilder-core';
import type { ChannelAccount, Mention, TeamsChannelData } from 'botframework-schema';
import { escapeUTF8 } from 'entities';
import type { Command } from '../command';

/** Teams channelData; older payloads carry only `teamsTeamId` and `teamsChannelId`. */
type ChannelData = TeamsChannelData & { teamsTeamId?: string; teamsChannelId?: string };

/** Replies with a mention of the sender and the ids Teams sent for them, the team and channel. */
export const whoamiCommand: Command = {
  name: 'whoami',
  usage: 'whoami',
  description: 'Shows your ids and the team, channel and tenant ids.',
  async handle({ context }) {
    const { from, conversation } = context.activity;
    const channelData = (context.activity.channelData ?? {}) as ChannelData;
    const mention = mentionOf(from);
    const greeting = mention === undefined ? 'Hi' : `Hi ${mention.text}`;

    const lines = [
      `${greeting}, this is what Teams sent with your message:`,
      `**User id:** ${code(from.id)}`,
      `**AAD object id:** ${code(from.aadObjectId)}`,
      `**Team id:** ${code(channelData.team?.id ?? channelData.teamsTeamId)}`,
      `**Channel id:** ${code(channelData.channel?.id ?? channelData.teamsChannelId)}`,
      `**Tenant id:** ${code(channelData.tenant?.id ?? conversation.tenantId)}`,
    ];
    // A single \n is no line break in Teams, so the lines are separate paragraphs.
    const reply = MessageFactory.text(lines.join('\n\n'));
    reply.entities = mention === undefined ? [] : [mention];
    await context.sendActivity(reply);
  },
};

/**
 * Builds the mention entity of `account`, or undefined without an id and a name. Its `text`, with
 * the name HTML-escaped, must appear in the message text.
 */
function mentionOf(account: ChannelAccount): Mention | undefined {
  if (!account.id || !account.name) {
    return undefined;
  }
  const mentioned = { id: account.id, name: account.name };
  return { type: 'mention', text: `<at>${escapeUTF8(account.name)}</at>`, mentioned };
}

/** Formats an id as inline code, so Markdown characters in it show as sent. */
function code(id: string | undefined): string {
  return id ? `\`${id}\`` : '_not sent_';
}
