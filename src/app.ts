import type { Server } from 'restify';
import { OutgoingWebhookAdapter } from './adapter/webhook-adapter';
import { changesCommand } from './bot/commands/changes';
import { employeeCommand } from './bot/commands/employee';
import { WebhookBot } from './bot/webhook-bot';
import { CardRenderer } from './cards/card-renderer';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { openRecords, type Records, type RecordsTuning } from './records';
import { KeyRing } from './webhook/key-ring';

/** The parts of a running service, kept for tests and for shutdown. */
export interface App {
  server: Server;
  adapter: OutgoingWebhookAdapter;
  bot: WebhookBot;
  cards: CardRenderer;
  keyRing: KeyRing;
  records: Records;
  /** Stops event delivery and closes the records database; the server is closed separately. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Clock, retry backoff and polling of the records module; production uses the defaults. */
  records?: RecordsTuning;
}

/**
 * Wires config, cards, records, bot, adapter and HTTP server together, and starts delivering
 * record events. Throws when templates are broken or the records database cannot be opened.
 */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const cards = new CardRenderer(config.cardsDir);
  const records = openRecords(config.records, logger.child({ part: 'records' }), options.records);
  const bot = new WebhookBot({
    cards,
    logger: logger.child({ part: 'bot' }),
    commands: [employeeCommand(records), changesCommand(records)],
  });
  const adapter = new OutgoingWebhookAdapter(logger.child({ part: 'adapter' }));
  const keyRing = new KeyRing(config.webhookKeys);
  const server = createServer({
    keyRing,
    adapter,
    logic: (context) => bot.run(context),
    logger: logger.child({ part: 'http' }),
    maxBodyBytes: config.maxBodyBytes,
  });
  return { server, adapter, bot, cards, keyRing, records, close: () => records.close() };
}
