import type { Activity } from 'botframework-schema';
import { buildMessageActivity, toRequestBody, type ActivityOptions } from './activities';
import { authorizationFor } from './signing';

/** An HTTP response from the webhook, with the body parsed when it is JSON. */
export interface WebhookResponse {
  status: number;
  headers: Headers;
  body: string;
  reply?: Partial<Activity>;
  /** Time from sending the request to reading the whole response body, in milliseconds. */
  durationMs: number;
}

export interface SendOptions {
  /** Path and query on the server, `/api/webhook` by default. */
  path?: string;
  /** Token to sign with; the server's own by default. */
  token?: string;
  headers?: Record<string, string>;
  /** Abort the request after this many milliseconds; no limit when omitted. */
  timeoutMs?: number;
}

/**
 * POSTs raw `body` to the server, signed with the token unless `Authorization` is given. A body
 * that is not valid JSON leaves `reply` undefined. Rejects as `fetch` does when the server
 * cannot be reached, and with a `TimeoutError` when `timeoutMs` passes.
 */
export async function postSigned(
  server: { url: string; token: string },
  body: string | Buffer,
  options: SendOptions = {},
): Promise<WebhookResponse> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    Authorization: authorizationFor(body, options.token ?? server.token),
    ...options.headers,
  };
  const started = performance.now();
  const response = await fetch(`${server.url}${options.path ?? '/api/webhook'}`, {
    method: 'POST',
    headers,
    body,
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.text();
  const durationMs = performance.now() - started;

  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: text,
    reply: isJson ? parseJson(text) : undefined,
    durationMs,
  };
}

/** Sends a signed mention carrying `typed` as a person would type it after the @mention. */
export async function sendMention(
  server: { url: string; token: string },
  typed: string,
  options: SendOptions & { activity?: ActivityOptions } = {},
): Promise<WebhookResponse> {
  const body = toRequestBody(buildMessageActivity(typed, options.activity));
  return postSigned(server, body, options);
}

function parseJson(text: string): Partial<Activity> | undefined {
  try {
    return JSON.parse(text) as Partial<Activity>;
  } catch {
    return undefined;
  }
}
