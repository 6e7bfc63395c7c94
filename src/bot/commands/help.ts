import { MessageFactory } from 'botbuilder-core';
import type { Command } from '../command';

/** Replies with the help card, listing every command registered with the router. */
export function helpCommand(listCommands: () => Command[]): Command {
  return {
    name: 'help',
    usage: 'help',
    description: 'Lists the commands.',
    async handle({ context, cards }) {
      const commands = listCommands().map(({ usage, description }) => ({ usage, description }));
      const card = cards.render('help', { commands });
      await context.sendActivity(MessageFactory.attachment(card));
    },
  };
}
