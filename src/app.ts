import type { Activity } from 'botframework-schema';
import type { Server } from 'restify';
import {
  OutgoingWebhookAdapter,
  STILL_WORKING_TEXT,
  textApology,
  type FallbackReply,
} from './adapter/webhook-adapter';
import type { Command } from './bot/command';
import { WebhookBot } from './bot/webhook-bot';
import { CardRenderer } from './cards/card-renderer';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { ActivityProcessor } from './webhook/activity-processor';
import { KeyRing } from './webhook/key-ring';

/** The parts of a running service, kept for tests and for shutdown. */
export interface App {
  server: Server;
  adapter: OutgoingWebhookAdapter;
  bot: WebhookBot;
  cards: CardRenderer;
  keyRing: KeyRing;
  processor: ActivityProcessor;
  metrics: Metrics;
}

export interface AppOptions {
  /** Commands beside the built-in ones, for example test commands. */
  commands?: Command[];
  /** Collect Node process metrics for /metrics; on by default. */
  processMetrics?: boolean;
}

/** Wires config, cards, bot, adapter and HTTP server together. Throws when templates are broken. */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const cards = new CardRenderer(config.cardsDir);
  const bot = new WebhookBot({
    cards,
    logger: logger.child({ part: 'bot' }),
    commands: options.commands,
  });
  const adapterLogger = logger.child({ part: 'adapter' });
  const adapter = new OutgoingWebhookAdapter({
    logger: adapterLogger,
    limits: { maxReplyBytes: config.maxReplyBytes, maxCardVersion: config.maxCardVersion },
    apology: cardReply(cards, 'error', textApology, adapterLogger),
    stillWorking: cardReply(
      cards,
      'still-working',
      () => ({ text: STILL_WORKING_TEXT }),
      adapterLogger,
    ),
  });
  const keyRing = new KeyRing(config.webhookKeys);
  const metrics = new Metrics({ processMetrics: options.processMetrics });
  const processor = new ActivityProcessor({
    adapter,
    logic: (context) => bot.run(context),
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
    readiness: () => ({ keys: keyRing.size > 0, templates: cards.names.length > 0 }),
  });
  return { server, adapter, bot, cards, keyRing, processor, metrics };
}

/**
 * A fallback reply rendered from card template `name` with `{ requestId }`, so designers can
 * word it; `fallback` answers when the template is missing or fails to render.
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
