import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** One security token of one outgoing webhook, decoded to its 32 key bytes. */
export interface WebhookKey {
  webhookId: string;
  key: Buffer;
  /** Set for keys read from TEAMS_WEBHOOK_SECRETS_FILE, which SIGHUP re-reads. */
  fromFile?: boolean;
}

export interface Config {
  host: string;
  port: number;
  logLevel: string;
  production: boolean;
  /** Every accepted key; one webhook id may appear several times while a token is rotated. */
  webhookKeys: WebhookKey[];
  /** Set when no token was configured and a development key was generated or reused. */
  developmentKeyFile?: string;
  maxBodyBytes: number;
  /** Folder of the Adaptive Card templates. */
  cardsDir: string;
  /** Re-read a changed template without a restart; on outside production by default. */
  watchCards: boolean;
  /** Highest Adaptive Card version a reply may declare, for example "1.4". */
  maxCardVersion: string;
  /** Largest serialised reply in UTF-8 bytes. */
  maxReplyBytes: number;
  /** Oldest accepted activity timestamp, in seconds before now; 0 switches the check off. */
  replayWindowSeconds: number;
  /** Time from a request's arrival until a "still working" reply is sent, in milliseconds. */
  replyBudgetMs: number;
  /** Lower-cased tenant ids allowed to use the bot; empty allows every tenant. */
  allowedTenantIds: string[];
  /** Lower-cased AAD object ids allowed to use the bot; empty allows every user. */
  allowedUserIds: string[];
  /** File of `id:token` lines, re-read on SIGHUP. */
  webhookSecretsFile?: string;
  records: RecordsConfig;
  /**
   * botbuilder's own settings (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType,
   * MicrosoftAppTenantId, CertificateThumbprint, CertificatePrivateKey), present only when
   * MicrosoftAppId is set; then `POST /api/messages` serves the registered bot.
   */
  botFramework?: Record<string, string>;
}

export interface RecordsConfig {
  /** SQLite database file of the employee records. */
  databasePath: string;
  /** Base URL of the line-of-business app; cards link to `<url>/<record id>` when set. */
  appUrl?: string;
  /** URL that receives every committed change as a signed JSON event. */
  eventUrl?: string;
  /** Key of the events' X-Records-Signature HMAC, as UTF-8 text. */
  eventSecret?: string;
  /** Lower-cased AAD object ids that may change records; empty lets everyone change them. */
  editorIds: string[];
}

/** Raised for a setting that stops start-up; the message names the variable, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_PORT = 3978;
export const DEFAULT_WEBHOOK_ID = 'default';

/**
 * Largest request body read, in bytes. Teams messages are a few kilobytes; 256 KiB leaves room
 * for long HTML text and attachments while keeping a flood of large bodies cheap to reject.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Largest reply, in UTF-8 bytes. The size Teams accepts for outgoing-webhook replies is not
 * documented; 28 KB is the documented limit of Teams incoming-webhook messages, the nearest
 * published figure (bot messages may be up to 100 KB).
 */
export const DEFAULT_MAX_REPLY_BYTES = 28_000;

/** Five minutes, the window Teams activity timestamps are checked against by default. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/**
 * Teams shows "Sorry, there was a problem" when no reply arrives within about five seconds of
 * sending the request. The request's trip to this server, the reply's trip back, TLS at a proxy
 * and a busy event loop all come out of those five seconds. So the bot stops waiting after four
 * and sends "still working" while that reply can still arrive in time.
 */
export const DEFAULT_REPLY_BUDGET_MS = 4000;

/** Adaptive Card 1.4 is what Teams documents and renders on every client. */
export const DEFAULT_MAX_CARD_VERSION = '1.4';

const BOT_FRAMEWORK_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'CertificateThumbprint',
  'CertificatePrivateKey',
];

const KEY_BYTES = 32;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WEBHOOK_ID = /^[A-Za-z0-9._-]{1,64}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoadConfigOptions {
  /** Folder with `.env`, `cards/` and `data/`, by default the process working folder. */
  cwd?: string;
  /**
   * Whether `.env` in `cwd` is read; true by default. The test kit passes false unless asked,
   * so a developer's `.env` cannot change a test run.
   */
  dotEnv?: boolean;
}

/**
 * Reads every setting from `env`, with `.env` in `cwd` filling only the variables `env` lacks.
 * Throws ConfigError for a setting that must stop start-up.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const vars = { ...(options.dotEnv === false ? {} : readDotEnv(cwd)), ...env };
  const production = vars.NODE_ENV === 'production';

  const config: Config = {
    host: vars.HOST || '0.0.0.0',
    port: readInteger(vars, 'PORT', DEFAULT_PORT, 0, 65535),
    logLevel: readLogLevel(vars),
    production,
    webhookKeys: readWebhookKeys(vars),
    maxBodyBytes: readInteger(
      vars,
      'MAX_BODY_BYTES',
      DEFAULT_MAX_BODY_BYTES,
      1024,
      64 * 1024 * 1024,
    ),
    cardsDir: resolve(cwd, vars.CARDS_DIR || 'cards'),
    watchCards: readBoolean(vars, 'WATCH_CARDS', !production),
    maxCardVersion: readCardVersion(vars),
    maxReplyBytes: readInteger(vars, 'MAX_REPLY_BYTES', DEFAULT_MAX_REPLY_BYTES, 1024, 100_000),
    replayWindowSeconds: readInteger(
      vars,
      'REPLAY_WINDOW_SECONDS',
      DEFAULT_REPLAY_WINDOW_SECONDS,
      0,
      7 * 24 * 3600,
    ),
    replyBudgetMs: readInteger(vars, 'REPLY_BUDGET_MS', DEFAULT_REPLY_BUDGET_MS, 100, 10_000),
    allowedTenantIds: readIdList(vars, 'ALLOWED_TENANT_IDS'),
    allowedUserIds: readIdList(vars, 'ALLOWED_USER_IDS'),
    webhookSecretsFile: vars.TEAMS_WEBHOOK_SECRETS_FILE
      ? resolve(cwd, vars.TEAMS_WEBHOOK_SECRETS_FILE)
      : undefined,
    records: readRecordsConfig(vars, cwd),
    botFramework: readBotFrameworkSettings(vars),
  };
  if (config.webhookSecretsFile !== undefined) {
    config.webhookKeys.push(...readWebhookSecretsFile(config.webhookSecretsFile));
  }

  if (config.webhookKeys.length === 0) {
    if (production) {
      throw new ConfigError(
        'No webhook token is configured. Set TEAMS_WEBHOOK_SECRET to the security token Teams ' +
          'showed when the outgoing webhook was created (or TEAMS_WEBHOOK_SECRETS or ' +
          'TEAMS_WEBHOOK_SECRETS_FILE for several).',
      );
    }
    const file = resolve(cwd, vars.DEV_WEBHOOK_KEY_FILE || 'data/dev-webhook-secret');
    config.webhookKeys = [{ webhookId: DEFAULT_WEBHOOK_ID, key: loadDevelopmentKey(file) }];
    config.developmentKeyFile = file;
  }
  return config;
}

/**
 * Reads only botbuilder's settings, from `env` and `.env` in `cwd` as loadConfig does, for tools
 * such as `npm run package` that need no other setting. Returns undefined without MicrosoftAppId.
 */
export function loadBotFrameworkSettings(
  env: NodeJS.ProcessEnv,
  options: LoadConfigOptions = {},
): Record<string, string> | undefined {
  return readBotFrameworkSettings({ ...readDotEnv(options.cwd ?? process.cwd()), ...env });
}

function readDotEnv(cwd: string): NodeJS.ProcessEnv {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) {
    return {};
  }
  return parseEnv(readFileSync(file, 'utf8')) as NodeJS.ProcessEnv;
}

function readInteger(
  vars: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = vars[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function readBoolean(vars: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = vars[name]?.trim().toLowerCase();
  if (text === undefined || text === '') {
    return fallback;
  }
  if (['1', 'true', 'yes', 'on'].includes(text)) {
    return true;
  }
  if (['0', 'false', 'no', 'off'].includes(text)) {
    return false;
  }
  throw new ConfigError(`${name} must be true or false.`);
}

/** Reads a comma-separated list of ids, trimmed and lower-cased so GUID case does not matter. */
function readIdList(vars: NodeJS.ProcessEnv, name: string): string[] {
  return (vars[name] ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter((id) => id !== '');
}

function readCardVersion(vars: NodeJS.ProcessEnv): string {
  const version = vars.MAX_CARD_VERSION?.trim() || DEFAULT_MAX_CARD_VERSION;
  if (!/^1\.\d$/.test(version)) {
    throw new ConfigError('MAX_CARD_VERSION must be an Adaptive Card version such as 1.4.');
  }
  return version;
}

function readUrl(vars: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = vars[name]?.trim();
  if (!text) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an absolute http or https URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an absolute http or https URL.`);
  }
  return text.replace(/\/+$/, '');
}

function readRecordsConfig(vars: NodeJS.ProcessEnv, cwd: string): RecordsConfig {
  const eventUrl = readUrl(vars, 'RECORDS_EVENT_URL');
  const eventSecret = vars.RECORDS_EVENT_SECRET || undefined;
  if (eventUrl !== undefined && eventSecret === undefined) {
    throw new ConfigError(
      'RECORDS_EVENT_URL is set but RECORDS_EVENT_SECRET is not. Set RECORDS_EVENT_SECRET to ' +
        'the shared key the receiver uses to verify X-Records-Signature.',
    );
  }
  return {
    databasePath: resolve(cwd, vars.DATABASE_PATH || 'data/records.db'),
    appUrl: readUrl(vars, 'RECORDS_APP_URL'),
    eventUrl,
    eventSecret,
    editorIds: readIdList(vars, 'RECORDS_EDITOR_IDS'),
  };
}

function readBotFrameworkSettings(vars: NodeJS.ProcessEnv): Record<string, string> | undefined {
  if (!vars.MicrosoftAppId?.trim()) {
    return undefined;
  }
  const settings: Record<string, string> = {};
  for (const name of BOT_FRAMEWORK_SETTINGS) {
    const value = vars[name]?.trim();
    if (value) {
      settings[name] = value;
    }
  }
  return settings;
}

/** Reads `id:token` lines from a mounted secrets file; `#` starts a comment line. */
export function readWebhookSecretsFile(file: string): WebhookKey[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `TEAMS_WEBHOOK_SECRETS_FILE cannot be read (${(error as NodeJS.ErrnoException).code}): ${file}`,
    );
  }
  // Comment lines become blank, so entry numbers in errors stay line numbers.
  const lines = text.split(/\r?\n/).map((line) => (line.trim().startsWith('#') ? '' : line));
  const keys = parseWebhookKeyList(lines, 'TEAMS_WEBHOOK_SECRETS_FILE');
  if (keys.length === 0) {
    throw new ConfigError(`TEAMS_WEBHOOK_SECRETS_FILE has no id:token lines: ${file}`);
  }
  return keys.map((key) => ({ ...key, fromFile: true }));
}

/**
 * Re-reads TEAMS_WEBHOOK_SECRETS_FILE and returns the new full key set: the keys from the
 * environment plus the file's current keys. Throws ConfigError when the file is unreadable or
 * invalid, so the caller can keep the old set.
 */
export function reloadWebhookKeys(config: Config): WebhookKey[] {
  const fixed = config.webhookKeys.filter((key) => !key.fromFile);
  if (config.webhookSecretsFile === undefined) {
    return fixed;
  }
  return [...fixed, ...readWebhookSecretsFile(config.webhookSecretsFile)];
}

function readLogLevel(vars: NodeJS.ProcessEnv): string {
  const level = vars.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  return level;
}

/** Collects the keys of TEAMS_WEBHOOK_SECRET and TEAMS_WEBHOOK_SECRETS, in that order. */
export function readWebhookKeys(vars: NodeJS.ProcessEnv): WebhookKey[] {
  const keys: WebhookKey[] = [];
  const single = vars.TEAMS_WEBHOOK_SECRET?.trim();
  if (single) {
    keys.push(decodeToken(single.trim(), 'TEAMS_WEBHOOK_SECRET', DEFAULT_WEBHOOK_ID));
  }
  const list = vars.TEAMS_WEBHOOK_SECRETS?.trim();
  if (list) {
    keys.push(...parseWebhookKeyList(list.split(','), 'TEAMS_WEBHOOK_SECRETS'));
  }
  return keys;
}

/** Parses `id:token` entries; blank entries are skipped. */
export function parseWebhookKeyList(entries: string[], variable: string): WebhookKey[] {
  const keys: WebhookKey[] = [];
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === '') {
      return;
    }
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      throw new ConfigError(
        `${variable} entry ${index + 1} is not in the form id:token (for example contoso:<token>).`,
      );
    }
    const webhookId = entry.slice(0, colon).trim();
    if (!WEBHOOK_ID.test(webhookId)) {
      throw new ConfigError(
        `${variable} entry ${index + 1} has an invalid webhook id "${webhookId}": use 1 to 64 ` +
          'letters, digits, dots, dashes or underscores.',
      );
    }
    keys.push(decodeToken(entry.slice(colon + 1).trim(), variable, webhookId));
  });
  return keys;
}

function decodeToken(token: string, variable: string, webhookId: string): WebhookKey {
  const key = STRICT_BASE64.test(token) ? Buffer.from(token, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES || key.toString('base64') !== token) {
    throw new ConfigError(
      `${variable} has an invalid token for webhook "${webhookId}": expected the base64 ` +
        `security token from Teams, which decodes to ${KEY_BYTES} bytes.`,
    );
  }
  return { webhookId, key };
}

/** Reads the development key from `file`, generating and storing a new one when it is missing. */
function loadDevelopmentKey(file: string): Buffer {
  try {
    if (existsSync(file)) {
      const token = readFileSync(file, 'utf8').trim();
      return decodeToken(token, `the development key file ${file}`, DEFAULT_WEBHOOK_ID).key;
    }
    const key = randomBytes(KEY_BYTES);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
    return key;
  } catch (error) {
    if (error instanceof ConfigError) {
      throw error;
    }
    throw new ConfigError(
      `The development key file ${file} cannot be read or written ` +
        `(${(error as NodeJS.ErrnoException).code}). Set DEV_WEBHOOK_KEY_FILE to a file in a ` +
        'folder this process may write, or set TEAMS_WEBHOOK_SECRET.',
    );
  }
}
