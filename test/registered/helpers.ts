import { ConfigurationBotFrameworkAuthentication, MessageFactory, CardFactory } from 'botbuilder';
import type { Middleware, TurnContext } from 'botbuilder-core';
import type { Activity } from 'botframework-schema';
import type { Command } from '../../src/bot/command';
import { buildMessageActivity, type ActivityOptions, type TestServer } from '../../src/testing';

/** A syntactically valid app id, used only inside the test server. */
export const TEST_APP_ID = '00000000-1111-4222-8333-444444444444';

/**
 * Authentication with no app id, which botbuilder treats as switched off: requests without an
 * Authorization header pass. Built here only, never by the service itself.
 */
export function authenticationSwitchedOff(): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication({});
}

/** Settings that enable `POST /api/messages`. */
export const REGISTERED_ENV = { MicrosoftAppId: TEST_APP_ID, MicrosoftAppPassword: 'not-a-secret' };

/** Extra commands for scenarios the built-in ones do not cover. */
export const TEST_COMMANDS: Command[] = [
  {
    name: 'fail',
    usage: 'fail',
    description: 'Throws, to exercise onTurnError.',
    async handle() {
      throw new Error('simulated handler failure');
    },
  },
  {
    name: 'steps',
    usage: 'steps',
    description: 'Sends three messages in one turn.',
    async handle({ context, cards }) {
      await context.sendActivity('Step one');
      const card = cards.render('help', { commands: [{ usage: 'step', description: 'two' }] });
      await context.sendActivity(MessageFactory.attachment(card));
      await context.sendActivity('Step three');
    },
  },
  {
    name: 'report',
    usage: 'report',
    description: 'Replies with text and a hero card that opens a URL.',
    async handle({ context }) {
      const card = CardFactory.heroCard(
        'Monthly report',
        'All figures are final.',
        [],
        [{ type: 'openUrl', title: 'Open the report', value: 'https://example.com/reports/7' }],
      );
      await context.sendActivity(MessageFactory.attachment(card, 'Here is the report.'));
    },
  },
  {
    name: 'quiet',
    usage: 'quiet',
    description: 'Sends nothing.',
    async handle() {},
  },
];

/** AAD object id of a sender the block-list middleware turns away. */
export const BLOCKED_USER = 'bbbbbbbb-0000-4000-8000-000000000000';
export const BLOCKED_TEXT = 'You are not allowed to use this bot.';

/** Middleware that replies to a blocked sender itself and records the adapters it ran under. */
export function blockListMiddleware(): Middleware & { adapters: string[] } {
  const adapters: string[] = [];
  return {
    adapters,
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      adapters.push(context.adapter.constructor.name);
      if (context.activity.from?.aadObjectId === BLOCKED_USER) {
        await context.sendActivity(BLOCKED_TEXT);
        return;
      }
      await next();
    },
  };
}

/** A response of `POST /api/messages`, with the `expectReplies` activities when present. */
export interface MessagesResponse {
  status: number;
  headers: Headers;
  body: string;
  activities?: Partial<Activity>[];
}

/** POSTs raw `body` to `/api/messages` with the given headers and JSON content type. */
export async function postToMessages(
  server: Pick<TestServer, 'url'>,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<MessagesResponse> {
  const response = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  const parsed = isJson && text !== '' ? (JSON.parse(text) as { activities?: [] }) : undefined;
  return { status: response.status, headers: response.headers, body: text, ...parsed };
}

/**
 * Builds the channel message Teams would send a registered bot for `typed`. It has the shape of
 * an outgoing-webhook mention, plus the bot as recipient and `deliveryMode: "expectReplies"`, so
 * the replies come back in the HTTP response instead of through the Bot Connector.
 */
export function buildRegisteredActivity(
  typed: string,
  options: ActivityOptions = {},
): Record<string, unknown> {
  return {
    ...buildMessageActivity(typed, options),
    recipient: { id: `28:${TEST_APP_ID}`, name: options.webhookName ?? 'HelperBot' },
    deliveryMode: 'expectReplies',
  };
}

/** Sends `typed` to the registered bot's endpoint with no Authorization header. */
export function sendToRegisteredBot(
  server: Pick<TestServer, 'url'>,
  typed: string,
  options: ActivityOptions = {},
): Promise<MessagesResponse> {
  return postToMessages(server, JSON.stringify(buildRegisteredActivity(typed, options)));
}

/**
 * The fields of a message that Teams shows. The layout of a single attachment changes nothing on
 * screen, so it is kept only for two or more.
 */
export function visibleParts(activity: Partial<Activity>): Partial<Activity> {
  const parts: Partial<Activity> = { type: activity.type };
  if (activity.text !== undefined) {
    parts.text = activity.text;
  }
  if (activity.attachments?.length) {
    parts.attachments = activity.attachments;
  }
  if (activity.entities?.length) {
    parts.entities = activity.entities;
  }
  if (activity.attachmentLayout !== undefined && (activity.attachments?.length ?? 0) > 1) {
    parts.attachmentLayout = activity.attachmentLayout;
  }
  return parts;
}
