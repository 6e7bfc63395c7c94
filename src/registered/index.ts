import type { ServerResponse } from 'node:http';
import type { Middleware } from 'botbuilder-core';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { BotLogic, FallbackReply } from '../adapter/webhook-adapter';
import type { Logger } from '../logger';
import { createBotFrameworkAuthentication } from './bot-framework-auth';
import { RegisteredBotAdapter } from './cloud-adapter';
import { createMessagesHandler, type MessagesRequest } from './messages-route';

export {
  REGISTERED_TURN_KEY,
  RegisteredBotAdapter,
  type RegisteredTurnInfo,
} from './cloud-adapter';
export type { MessagesRequest } from './messages-route';

export interface RegisteredBotOptions {
  /** botbuilder's own settings, with MicrosoftAppId set. */
  settings: Record<string, string>;
  /**
   * Replaces the authentication built from `settings`. Tests pass one built without an app id,
   * which botbuilder treats as authentication switched off; no setting leads here.
   */
  authentication?: BotFrameworkAuthentication;
  /** The middleware every adapter of the service runs, in order. */
  middleware: Middleware[];
  logic: BotLogic;
  /** The reply to a failed turn. */
  apology: FallbackReply;
  logger: Logger;
  maxBodyBytes: number;
}

/** The registered bot's adapter and the handler of `POST /api/messages`. */
export interface RegisteredBot {
  adapter: RegisteredBotAdapter;
  handleMessages(req: MessagesRequest, res: ServerResponse): Promise<void>;
}

/**
 * Creates the CloudAdapter that serves the registered bot with the same middleware and logic as
 * the outgoing webhook. Throws ConfigError for incomplete settings.
 */
export function createRegisteredBot(options: RegisteredBotOptions): RegisteredBot {
  const authentication =
    options.authentication ?? createBotFrameworkAuthentication(options.settings);
  const adapter = new RegisteredBotAdapter(authentication, options.logger, options.apology);
  adapter.use(...options.middleware);
  const handleMessages = createMessagesHandler({
    adapter,
    logic: options.logic,
    logger: options.logger,
    maxBodyBytes: options.maxBodyBytes,
  });
  return { adapter, handleMessages };
}
