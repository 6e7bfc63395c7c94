import type { Server } from 'restify';
import { OutgoingWebhookAdapter } from './adapter/webhook-adapter';
import { WebhookBot } from './bot/webhook-bot';
import { CardRenderer } from './cards/card-renderer';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { KeyRing } from './webhook/key-ring';

/** The parts of a running service, kept for tests and for shutdown. */
export interface App {
  server: Server;
  adapter: OutgoingWebhookAdapter;
  bot: WebhookBot;
  cards: CardRenderer;
  keyRing: KeyRing;
}

/** Wires config, cards, bot, adapter and HTTP server together. Throws when templates are broken. */
export function createApp(config: Config, logger: Logger): App {
  const cards = new CardRenderer(config.cardsDir, {
    logger: logger.child({ part: 'cards' }),
    watch: config.watchCards,
  });
  const bot = new WebhookBot({ cards, logger: logger.child({ part: 'bot' }) });
  const adapter = new OutgoingWebhookAdapter(logger.child({ part: 'adapter' }));
  const keyRing = new KeyRing(config.webhookKeys);
  const server = createServer({
    keyRing,
    adapter,
    logic: (context) => bot.run(context),
    logger: logger.child({ part: 'http' }),
    maxBodyBytes: config.maxBodyBytes,
  });
  return { server, adapter, bot, cards, keyRing };
}
