import { parseArgs } from 'node:util';
import { aadObjectIdForName } from '../testing/activities';

/** Teams waits about five seconds for the reply, then shows its generic error in the thread. */
export const TEAMS_REPLY_BUDGET_MS = 5000;

/** Options of one simulator run: the message, its target and the checks. */
export interface SimulateOptions {
  /** The text typed after the @mention. */
  message: string;
  /** Full webhook URL; the local server from the settings when omitted. */
  url?: string;
  webhookId?: string;
  /** Base64 security token; the configured one when omitted. */
  token?: string;
  webhookName?: string;
  senderName?: string;
  /** AAD object id of the sender: --sender-id, else derived from --sender, else the default. */
  senderAadObjectId?: string;
  teamId?: string;
  channelId?: string;
  tenantId?: string;
  /** Message id of the thread root, to send a reply inside that thread. */
  threadRootId?: string;
  /** Maximum acceptable round-trip time, in milliseconds. */
  budgetMs: number;
  json: boolean;
  check: boolean;
}

export type SimulateCommandLine = { help: true } | { help: false; options: SimulateOptions };

/** Raised for a command line that cannot run; the message names the option and the fix. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const SIMULATE_HELP = `Usage: npm run simulate -- [options] "<message>"

Sends <message> to the webhook the way Teams does when someone @mentions it in a channel:
a signed POST with a current activity. Prints the status, the reply text, a summary of each
card and the round-trip time against the ${TEAMS_REPLY_BUDGET_MS} ms Teams waits.

Options:
  --url <url>           Webhook URL (default: http://127.0.0.1:<PORT>/api/webhook, PORT from
                        the settings)
  --webhook-id <id>     Webhook id: picks its token from TEAMS_WEBHOOK_SECRETS and is added to
                        the URL as /api/webhook/<id>
  --token <token>       Security token to sign with (default: the configured token, else the
                        development key that npm start uses). Prefer the settings: a token on
                        the command line ends up in the shell history.
  --webhook-name <name> Name of the webhook in the leading @mention (default: HelperBot)
  --sender <name>       Display name of the person who sends the message (default: Sam Rivera).
                        Without --sender-id, each name gets its own AAD object id, the same on
                        every run, so two names are two people.
  --sender-id <id>      AAD object id (a GUID) of the person who sends the message (default:
                        derived from --sender, else the id of Sam Rivera)
  --team <id>           Team id in channelData
  --channel <id>        Channel id in channelData and conversation.id
  --tenant <id>         Tenant id in channelData and conversation
  --thread <id>         Message id of a thread root: send a reply inside that thread
  --budget <ms>         Round-trip time allowed, in milliseconds (default: ${TEAMS_REPLY_BUDGET_MS})
  --json                Print only the raw reply on stdout; status and time go to stderr
  --check               Also send a wrongly signed copy and a copy whose timestamp is 10 minutes
                        old, and expect the server to reject both with 401
  -h, --help            Show this help

Exit status: 0 when the reply is a valid message within the budget (and every check passed),
1 when the request, the reply, the budget or a check failed, 2 for an invalid command line.
Settings (PORT, TEAMS_WEBHOOK_SECRET, TEAMS_WEBHOOK_SECRETS, ...) come from the environment
and .env, as for npm start.

Example:
  npm run simulate -- "echo hello"
`;

const WEBHOOK_ID = /^[A-Za-z0-9._-]{1,64}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const TOKEN_BYTES = 32;
const MAX_BUDGET_MS = 60_000;

const OPTIONS = {
  url: { type: 'string' },
  'webhook-id': { type: 'string' },
  token: { type: 'string' },
  'webhook-name': { type: 'string' },
  sender: { type: 'string' },
  'sender-id': { type: 'string' },
  team: { type: 'string' },
  channel: { type: 'string' },
  tenant: { type: 'string' },
  thread: { type: 'string' },
  budget: { type: 'string' },
  json: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the simulator's arguments. Throws UsageError for unknown options or invalid values. */
export function parseSimulateArgs(args: string[]): SimulateCommandLine {
  const { values, positionals } = parseCommandLine(args);
  if (values.help) {
    return { help: true };
  }
  if (positionals.length === 0) {
    throw new UsageError('Missing the message to send. Example: npm run simulate -- "echo hello"');
  }

  const senderName = readName(values.sender, '--sender');
  return {
    help: false,
    options: {
      message: positionals.join(' '),
      url: readUrl(values.url),
      webhookId: readWebhookId(values['webhook-id']),
      token: readToken(values.token),
      webhookName: readName(values['webhook-name'], '--webhook-name'),
      senderName,
      senderAadObjectId: readSenderId(values['sender-id'], senderName),
      teamId: readName(values.team, '--team'),
      channelId: readName(values.channel, '--channel'),
      tenantId: readName(values.tenant, '--tenant'),
      threadRootId: readThreadRootId(values.thread),
      budgetMs: readBudget(values.budget),
      json: values.json,
      check: values.check,
    },
  };
}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs reports unknown options and missing values with a TypeError and an ERR_PARSE_ARGS
    // code; its message names the option.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${(error as Error).message} Run with --help to see the options.`);
    }
    throw error;
  }
}

function readUrl(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `Invalid --url "${value}": expected an absolute URL such as ` +
        'http://127.0.0.1:3978/api/webhook.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid --url "${value}": only http and https URLs are supported.`);
  }
  return url.href;
}

function readWebhookId(value: string | undefined): string | undefined {
  if (value !== undefined && !WEBHOOK_ID.test(value)) {
    throw new UsageError(
      `Invalid --webhook-id "${value}": use 1 to 64 letters, digits, dots, dashes or underscores.`,
    );
  }
  return value;
}

/** Checks the token's format without ever putting its value in a message. */
function readToken(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const token = value.trim();
  const key = STRICT_BASE64.test(token) ? Buffer.from(token, 'base64') : Buffer.alloc(0);
  if (key.length !== TOKEN_BYTES || key.toString('base64') !== token) {
    throw new UsageError(
      `Invalid --token: expected the base64 security token from Teams, which decodes to ` +
        `${TOKEN_BYTES} bytes.`,
    );
  }
  return token;
}

function readName(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw new UsageError(`Invalid ${option}: the value is empty.`);
  }
  return value?.trim();
}

/** Reads --sender-id, or derives the id from --sender so each name is its own person. */
function readSenderId(value: string | undefined, senderName: string | undefined) {
  if (value === undefined) {
    return senderName === undefined ? undefined : aadObjectIdForName(senderName);
  }
  if (!GUID.test(value.trim())) {
    throw new UsageError(
      `Invalid --sender-id "${value}": expected an AAD object id, which is a GUID such as ` +
        '11111111-2222-4333-8444-555555555555.',
    );
  }
  return value.trim();
}

function readThreadRootId(value: string | undefined): string | undefined {
  if (value !== undefined && !/^\d+$/.test(value)) {
    throw new UsageError(
      `Invalid --thread "${value}": expected the message id of the thread root, which is a ` +
        'number such as 1715678493123 (the ;messageid= part of conversation.id).',
    );
  }
  return value;
}

function readBudget(value: string | undefined): number {
  if (value === undefined) {
    return TEAMS_REPLY_BUDGET_MS;
  }
  const budget = Number(value);
  if (!Number.isInteger(budget) || budget < 1 || budget > MAX_BUDGET_MS) {
    throw new UsageError(
      `Invalid --budget "${value}": expected whole milliseconds from 1 to ${MAX_BUDGET_MS}.`,
    );
  }
  return budget;
}
