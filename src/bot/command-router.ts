import type { Command, CommandRequest } from './command';
import { splitCommand } from './teams-text';

export const UNKNOWN_COMMAND_TEXT =
  "I don't know that command. Type **help** to see what I can do.";

/** Finds the command named by the first word of the cleaned text, ignoring case. */
export class CommandRouter {
  private readonly commands = new Map<string, Command>();

  constructor(commands: Command[] = []) {
    commands.forEach((command) => this.register(command));
  }

  register(command: Command): void {
    const name = command.name.toLowerCase();
    if (this.commands.has(name)) {
      throw new Error(`A command named "${name}" is already registered.`);
    }
    this.commands.set(name, command);
  }

  /** Registered commands in registration order, for help. */
  list(): Command[] {
    return [...this.commands.values()];
  }

  /** Runs the matching command, or replies with a pointer to help. */
  async dispatch(request: Omit<CommandRequest, 'args'>): Promise<void> {
    const { name, args } = splitCommand(request.text);
    const command = this.commands.get(name);
    if (command === undefined) {
      await request.context.sendActivity(UNKNOWN_COMMAND_TEXT);
      return;
    }
    await command.handle({ ...request, args });
  }
}
