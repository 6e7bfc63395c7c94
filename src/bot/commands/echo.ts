import type { Command } from '../command';

/**
 * Replies with the text after `echo`, cleaned of the mention and HTML. Teams renders HTML in
 * message text, so angle brackets the person typed are escaped again: an echoed `<a href=…>`
 * shows as text instead of becoming a link in the bot's own message.
 */
export const echoCommand: Command = {
  name: 'echo',
  usage: 'echo <text>',
  description: 'Repeats the text back.',
  async handle({ context, args }) {
    if (args === '') {
      await context.sendActivity('Nothing to echo. Try: **echo hello**');
      return;
    }
    await context.sendActivity(args.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  },
};
