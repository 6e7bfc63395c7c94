import type { Command } from '../command';

/** Replies with the text after `echo`, cleaned of the mention and HTML. */
export const echoCommand: Command = {
  name: 'echo',
  usage: 'echo <text>',
  description: 'Repeats the text back.',
  async handle({ context, args }) {
    await context.sendActivity(args === '' ? 'Nothing to echo. Try: **echo hello**' : args);
  },
};
