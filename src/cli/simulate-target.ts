import { ConfigError, DEFAULT_WEBHOOK_ID, type Config } from '../config';
import type { SimulateOptions } from './simulate-args';

/** The URL the simulator posts to and the token it signs with. */
export interface SimulateTarget {
  url: string;
  token: string;
  /** Origin of the token, for messages. It never contains the token itself. */
  tokenSource: string;
  /** The webhook id in the URL, if any. */
  webhookId?: string;
}

/**
 * Reads the settings as `npm start` does. A given `token` is used as TEAMS_WEBHOOK_SECRET, so a
 * run with --token neither needs nor creates a development key.
 */
export type ReadConfig = (token?: string) => Config;

/** Raised when the URL or the token cannot be worked out. The message names what to set. */
export class TargetError extends Error {
  override name = 'TargetError';
}

const WEBHOOK_PATH = /\/api\/webhook\/?$/;
const WEBHOOK_ID_IN_PATH = /\/api\/webhook\/([^/]+)\/?$/;

/**
 * Works out the URL and token of a simulator run from the options, reading the settings only
 * when an option is missing. Throws TargetError when a token cannot be found or the options
 * contradict each other.
 */
export function resolveTarget(options: SimulateOptions, readConfig: ReadConfig): SimulateTarget {
  let config: Config | undefined;
  const settings = (): Config => (config ??= readSettings(readConfig, options.token));

  const base = new URL(options.url ?? localWebhookUrl(settings()));
  const webhookId = pickWebhookId(base, options.webhookId);
  const url = withWebhookId(base, webhookId);

  if (options.token !== undefined) {
    return { url, token: options.token, tokenSource: 'the --token option', webhookId };
  }
  return { url, webhookId, ...configuredToken(settings(), webhookId) };
}

function readSettings(readConfig: ReadConfig, token: string | undefined): Config {
  try {
    return readConfig(token);
  } catch (error) {
    if (error instanceof ConfigError) {
      const hint = token === undefined ? ' Or pass the token with --token.' : '';
      throw new TargetError(`Cannot read the settings: ${error.message}${hint}`);
    }
    throw error;
  }
}

/** Builds the URL of the `npm start` server here; a wildcard listen address becomes loopback. */
function localWebhookUrl(config: Config): string {
  if (config.port === 0) {
    throw new TargetError(
      'PORT is 0, so the server listens on a random port. Pass the webhook URL with --url.',
    );
  }
  const wildcard = ['', '0.0.0.0', '::'].includes(config.host);
  const host = wildcard ? '127.0.0.1' : config.host;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return `http://${hostInUrl}:${config.port}/api/webhook`;
}

function pickWebhookId(url: URL, requested: string | undefined): string | undefined {
  const inPath = WEBHOOK_ID_IN_PATH.exec(url.pathname)?.[1];
  const inUrl = inPath === undefined ? url.searchParams.get('id') || undefined : inPath;
  if (requested !== undefined && inUrl !== undefined && requested !== inUrl) {
    throw new TargetError(
      `--webhook-id "${requested}" does not match the webhook id "${inUrl}" in --url. ` +
        'Pass one of them, or the same id in both.',
    );
  }
  return requested ?? inUrl;
}

/** Adds the id as `/api/webhook/<id>`, or as `?id=` when the URL has another path. */
function withWebhookId(url: URL, webhookId: string | undefined): string {
  const result = new URL(url);
  const hasId = WEBHOOK_ID_IN_PATH.test(result.pathname) || result.searchParams.get('id') !== null;
  if (webhookId === undefined || hasId) {
    return result.href;
  }
  if (WEBHOOK_PATH.test(result.pathname)) {
    result.pathname = `${result.pathname.replace(/\/$/, '')}/${encodeURIComponent(webhookId)}`;
  } else {
    result.searchParams.set('id', webhookId);
  }
  return result.href;
}

function configuredToken(
  config: Config,
  webhookId: string | undefined,
): Pick<SimulateTarget, 'token' | 'tokenSource'> {
  const id = webhookId ?? defaultWebhookId(config);
  const keys = config.webhookKeys.filter((key) => key.webhookId === id);
  if (keys.length === 0) {
    throw new TargetError(
      `No token for webhook "${id}" in the settings (configured webhook ids: ` +
        `${configuredIds(config).join(', ')}). Add ${id}:<token> to TEAMS_WEBHOOK_SECRETS, ` +
        'or pass the token with --token.',
    );
  }
  // While a token is rotated one id has several keys; the server accepts each, so use the last.
  const token = keys[keys.length - 1].key.toString('base64');
  const tokenSource =
    config.developmentKeyFile === undefined
      ? `the token of webhook "${id}" from the settings`
      : `the development key in ${config.developmentKeyFile}`;
  return { token, tokenSource };
}

/** `default` when configured, else the only configured webhook. */
function defaultWebhookId(config: Config): string {
  const ids = configuredIds(config);
  if (ids.includes(DEFAULT_WEBHOOK_ID) || ids.length === 0) {
    return DEFAULT_WEBHOOK_ID;
  }
  if (ids.length === 1) {
    return ids[0];
  }
  throw new TargetError(
    `Several webhooks are configured (${ids.join(', ')}) and none is "default". ` +
      'Pick one with --webhook-id.',
  );
}

function configuredIds(config: Config): string[] {
  return [...new Set(config.webhookKeys.map((key) => key.webhookId))];
}
