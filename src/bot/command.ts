import type { TurnContext } from 'botbuilder-core';
import type { CardRenderer } from '../cards/card-renderer';
import type { Logger } from '../logger';

/** The input of a command for one message. */
export interface CommandRequest {
  context: TurnContext;
  /** The whole cleaned command text, for example `echo hello there`. */
  text: string;
  /** The text after the command name, as typed, for example `hello there`. */
  args: string;
  cards: CardRenderer;
  logger: Logger;
}

/** One command of the bot, found by the first word of the cleaned text. */
export interface Command {
  name: string;
  /** How to call it, shown in the help card, for example `echo <text>`. */
  usage: string;
  description: string;
  handle(request: CommandRequest): Promise<void>;
}
