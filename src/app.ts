import type { Middleware } from 'botbuilder-core';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Server } from 'restify';
import { OutgoingWebhookAdapter, type BotLogic } from './adapter/webhook-adapter';
import type { Command } from './bot/command';
import { WebhookBot } from './bot/webhook-bot';
import { CardRenderer } from './cards/card-renderer';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { createRegisteredBot, type RegisteredBot } from './registered';
import { KeyRing } from './webhook/key-ring';

/** The parts of a running service, kept for tests and for shutdown. */
export interface App {
  server: Server;
  adapter: OutgoingWebhookAdapter;
  bot: WebhookBot;
  cards: CardRenderer;
  keyRing: KeyRing;
  /** The CloudAdapter behind `POST /api/messages`, present when MicrosoftAppId is set. */
  registered?: RegisteredBot;
}

export interface AppOptions {
  /** Commands beside help and echo. */
  commands?: Command[];
  /** Middleware both adapters run before the bot, in order. */
  middleware?: Middleware[];
  /**
   * Authentication of `POST /api/messages` instead of the one built from the botbuilder
   * settings. For tests only: no setting leads here.
   */
  botFrameworkAuthentication?: BotFrameworkAuthentication;
}

/** Wires config, cards, bot, adapters and HTTP server together. Throws when templates are broken. */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const cards = new CardRenderer(config.cardsDir);
  const bot = new WebhookBot({
    cards,
    logger: logger.child({ part: 'bot' }),
    commands: options.commands,
  });
  const logic: BotLogic = (context) => bot.run(context);
  const middleware = turnMiddleware(options);

  const adapter = new OutgoingWebhookAdapter(logger.child({ part: 'adapter' }));
  adapter.use(...middleware);
  const registered = config.botFramework
    ? createRegisteredBot({
        settings: config.botFramework,
        authentication: options.botFrameworkAuthentication,
        middleware,
        logic,
        logger: logger.child({ part: 'registered' }),
        maxBodyBytes: config.maxBodyBytes,
      })
    : undefined;

  const keyRing = new KeyRing(config.webhookKeys);
  const server = createServer({
    keyRing,
    adapter,
    logic,
    logger: logger.child({ part: 'http' }),
    maxBodyBytes: config.maxBodyBytes,
    handleMessages: registered?.handleMessages,
  });
  return { server, adapter, bot, cards, keyRing, registered };
}

/**
 * Lists the middleware every adapter runs, in order, so the outgoing webhook and the registered
 * bot treat each turn the same way.
 */
function turnMiddleware(options: AppOptions): Middleware[] {
  return [...(options.middleware ?? [])];
}
