import { ActivityHandler } from 'botbuilder-core';
import type { CardRenderer } from '../cards/card-renderer';
import type { Logger } from '../logger';
import type { Command } from './command';
import { CommandRouter } from './command-router';
import { echoCommand } from './commands/echo';
import { helpCommand } from './commands/help';
import { whoamiCommand } from './commands/whoami';
import { cleanTeamsText } from './teams-text';

export interface WebhookBotOptions {
  cards: CardRenderer;
  logger: Logger;
  /** Commands beside help, echo and whoami. */
  commands?: Command[];
}

/**
 * The sample bot: routes each message's cleaned text to a command. It uses only its TurnContext,
 * so it runs unchanged behind the outgoing-webhook adapter or botbuilder's CloudAdapter.
 */
export class WebhookBot extends ActivityHandler {
  readonly router: CommandRouter;

  constructor(options: WebhookBotOptions) {
    super();
    const { cards, logger } = options;
    this.router = new CommandRouter();
    this.router.register(helpCommand(() => this.router.list()));
    this.router.register(echoCommand);
    this.router.register(whoamiCommand);
    (options.commands ?? []).forEach((command) => this.router.register(command));

    this.onMessage(async (context, next) => {
      const text = cleanTeamsText(context.activity.text);
      logger.debug({ text }, 'command text');
      await this.router.dispatch({ context, text, cards, logger });
      await next();
    });
  }
}
