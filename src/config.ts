import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** One security token of one outgoing webhook, decoded to its 32 key bytes. */
export interface WebhookKey {
  webhookId: string;
  key: Buffer;
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
  cardsDir: string;
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

const KEY_BYTES = 32;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WEBHOOK_ID = /^[A-Za-z0-9._-]{1,64}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoadConfigOptions {
  /** Folder that holds `.env`, `cards/` and `data/`; the process working folder by default. */
  cwd?: string;
}

/**
 * Reads every setting from `env`, with `.env` in `cwd` filling only the variables `env` lacks.
 * Throws ConfigError for a setting that must stop start-up.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const vars = { ...readDotEnv(cwd), ...env };
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
  };

  if (config.webhookKeys.length === 0) {
    if (production) {
      throw new ConfigError(
        'No webhook token is configured. Set TEAMS_WEBHOOK_SECRET to the security token Teams ' +
          'showed when the outgoing webhook was created (or TEAMS_WEBHOOK_SECRETS for several).',
      );
    }
    const file = resolve(cwd, vars.DEV_WEBHOOK_KEY_FILE || 'data/dev-webhook-secret');
    config.webhookKeys = [{ webhookId: DEFAULT_WEBHOOK_ID, key: loadDevelopmentKey(file) }];
    config.developmentKeyFile = file;
  }
  return config;
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
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    return decodeToken(token, `the development key file ${file}`, DEFAULT_WEBHOOK_ID).key;
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}
