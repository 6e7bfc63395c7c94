import type { Middleware } from 'botbuilder-core';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Activity } from 'botframework-schema';
import type { Server } from 'restify';
import {
  OutgoingWebhookAdapter,
  STILL_WORKING_TEXT,
  textApology,
  type BotLogic,
  type FallbackReply,
} from './adapter/webhook-adapter';
import type { Command } from './bot/command';
import { changesCommand } from './bot/commands/changes';
import { employeeCommand } from './bot/commands/employee';
import { WebhookBot } from './bot/webhook-bot';
import { CardRenderer } from './cards/card-renderer';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { openRecords, type Records, type RecordsTuning } from './records';
import type { RegisteredBot } from './registered';
import { ActivityProcessor } from './webhook/activity-processor';
import { KeyRing } from './webhook/key-ring';

/** Templates the built-in commands and fallback replies render; /readyz fails without one. */
export const REQUIRED_TEMPLATES = [
  'help',
  'error',
  'still-working',
  'employee-record',
  'employee-changed',
  'employee-list',
  'changes',
];

/** The parts of a running service, kept for tests and for shutdown. */
export interface App {
  server: Server;
  adapter: OutgoingWebhookAdapter;
  bot: WebhookBot;
  cards: CardRenderer;
  keyRing: KeyRing;
  processor: ActivityProcessor;
  metrics: Metrics;
  /** The CloudAdapter behind `POST /api/messages`, present when MicrosoftAppId is set. */
  registered?: RegisteredBot;
  records: Records;
  /** Stops event delivery, template watching and the records database; not the server. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Commands beside the built-in ones, for example test commands. */
  commands?: Command[];
  /** Middleware both adapters run before the bot, in order. */
  middleware?: Middleware[];
  /**
   * Authentication of `POST /api/messages` instead of the one built from the botbuilder
   * settings. For tests only: no setting leads here.
   */
  botFrameworkAuthentication?: BotFrameworkAuthentication;
  /** Collect Node process metrics for /metrics; on by default. */
  processMetrics?: boolean;
  /** Clock, retry backoff and polling of the records module; production uses the defaults. */
  records?: RecordsTuning;
  /**
   * Check only the JSON of the card templates here and leave compiling their expressions to
   * `cards.compile` or first use; see CardRendererOptions.deferCompile. Off by default.
   */
  deferCardCompile?: boolean;
}

/**
 * Wires config, cards, records, bot, adapters and HTTP server together, and starts delivering
 * record events. Throws when templates are broken (with `deferCardCompile`, only when one is not
 * JSON) or the records database cannot be opened.
 */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const cards = new CardRenderer(config.cardsDir, {
    logger: logger.child({ part: 'cards' }),
    watch: config.watchCards,
    deferCompile: options.deferCardCompile,
  });
  const records = openRecords(config.records, logger.child({ part: 'records' }), options.records);
  const bot = new WebhookBot({
    cards,
    logger: logger.child({ part: 'bot' }),
    commands: [employeeCommand(records), changesCommand(records), ...(options.commands ?? [])],
  });
  const logic: BotLogic = (context) => bot.run(context);
  const middleware = [...(options.middleware ?? [])];

  const adapterLogger = logger.child({ part: 'adapter' });
  const apology = cardReply(cards, 'error', textApology, adapterLogger);
  const adapter = new OutgoingWebhookAdapter({
    logger: adapterLogger,
    limits: { maxReplyBytes: config.maxReplyBytes, maxCardVersion: config.maxCardVersion },
    apology,
    stillWorking: cardReply(
      cards,
      'still-working',
      () => ({ text: STILL_WORKING_TEXT }),
      adapterLogger,
    ),
  });
  adapter.use(...middleware);
  const registered = createRegisteredBotIfConfigured(config, options, {
    middleware,
    logic,
    apology,
    logger: logger.child({ part: 'registered' }),
  });

  const keyRing = new KeyRing(config.webhookKeys);
  const metrics = new Metrics({ processMetrics: options.processMetrics });
  const processor = new ActivityProcessor({
    adapter,
    logic,
    logger: logger.child({ part: 'webhook' }),
    access: { allowedTenantIds: config.allowedTenantIds, allowedUserIds: config.allowedUserIds },
    replayWindowSeconds: config.replayWindowSeconds,
    replyBudgetMs: config.replyBudgetMs,
  });
  const server = createServer({
    keyRing,
    processor,
    metrics,
    logger: logger.child({ part: 'http' }),
    maxBodyBytes: config.maxBodyBytes,
    readiness: () => ({
      keys: keyRing.size > 0,
      templates:
        REQUIRED_TEMPLATES.every((name) => cards.names.includes(name)) &&
        cards.uncompiled.length === 0,
    }),
    handleMessages: registered?.handleMessages,
  });
  const close = async () => {
    cards.close();
    await records.close();
  };
  return { server, adapter, bot, cards, keyRing, processor, metrics, registered, records, close };
}

/**
 * Creates the registered bot when MicrosoftAppId is set. botbuilder's CloudAdapter and its
 * authentication stack take a noticeable time to load, so they are required only then.
 */
function createRegisteredBotIfConfigured(
  config: Config,
  options: AppOptions,
  shared: Pick<
    import('./registered').RegisteredBotOptions,
    'middleware' | 'logic' | 'apology' | 'logger'
  >,
): RegisteredBot | undefined {
  if (config.botFramework === undefined) {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createRegisteredBot } = require('./registered') as typeof import('./registered');
  return createRegisteredBot({
    ...shared,
    settings: config.botFramework,
    authentication: options.botFrameworkAuthentication,
    maxBodyBytes: config.maxBodyBytes,
  });
}

/**
 * Creates a fallback reply from card template `name` with `{ requestId }`, so designers can word
 * it. `fallback` builds the reply when the template is missing or fails to render.
 */
function cardReply(
  cards: CardRenderer,
  name: string,
  fallback: FallbackReply,
  logger: Logger,
): FallbackReply {
  return (requestId) => {
    try {
      const reply: Partial<Activity> = {
        type: 'message',
        attachments: [cards.render(name, { requestId })],
      };
      return reply;
    } catch (error) {
      logger.error({ err: error, requestId, template: name }, 'fallback card failed to render');
      return { type: 'message', ...fallback(requestId) };
    }
  };
}
