import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Activity } from 'botframework-schema';
import { createApp, type App, type AppOptions } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { buildMessageActivity, type ActivityOptions } from './activities';
import { authorizationFor } from './signing';

/** A running server on 127.0.0.1 and an ephemeral port, with its log lines captured. */
export interface TestServer {
  app: App;
  url: string;
  /** The base64 token of webhook `default`. */
  token: string;
  /** Every log line written so far, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * Settings as environment variables. TEAMS_WEBHOOK_SECRET defaults to a new random token, and
   * DATABASE_PATH to a new file in a temporary folder that close() deletes.
   */
  env?: NodeJS.ProcessEnv;
  /** Folder with `cards/`; the working folder by default. */
  cwd?: string;
  /** Options of createApp, such as a clock or a short retry backoff for the records module. */
  app?: AppOptions;
}

/** Creates a random security token in Teams' format: base64 of 32 bytes. */
export function createToken(): string {
  return randomBytes(32).toString('base64');
}

/** Starts the service on 127.0.0.1, port 0, with settings from `options.env` only. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const token = options.env?.TEAMS_WEBHOOK_SECRET ?? createToken();
  const tempDir =
    options.env?.DATABASE_PATH === undefined
      ? mkdtempSync(join(tmpdir(), 'webhook-test-'))
      : undefined;
  const env = {
    LOG_LEVEL: 'debug',
    TEAMS_WEBHOOK_SECRET: token,
    ...(tempDir === undefined ? {} : { DATABASE_PATH: join(tempDir, 'records.db') }),
    ...options.env,
  };
  const config = loadConfig(env, { cwd: options.cwd });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const app = createApp(config, createLogger(config.logLevel, sink), options.app);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;

  return {
    app,
    url: `http://127.0.0.1:${port}`,
    token,
    logs,
    close: async () => {
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.close();
      if (tempDir !== undefined) {
        rmSync(tempDir, { recursive: true, force: true });
      }
    },
  };
}

/** An HTTP response from the webhook, with the body parsed when it is JSON. */
export interface WebhookResponse {
  status: number;
  headers: Headers;
  body: string;
  reply?: Partial<Activity>;
}

export interface SendOptions {
  /** Path and query on the server, `/api/webhook` by default. */
  path?: string;
  /** Token to sign with; the server's own by default. */
  token?: string;
  headers?: Record<string, string>;
}

/** POSTs raw `body` to the server, signed with the token unless `Authorization` is given. */
export async function postSigned(
  server: Pick<TestServer, 'url' | 'token'>,
  body: string | Buffer,
  options: SendOptions = {},
): Promise<WebhookResponse> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    Authorization: authorizationFor(body, options.token ?? server.token),
    ...options.headers,
  };
  const response = await fetch(`${server.url}${options.path ?? '/api/webhook'}`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: text,
    reply: isJson && text !== '' ? (JSON.parse(text) as Partial<Activity>) : undefined,
  };
}

/** Sends a signed mention carrying `typed` as a person would type it after the @mention. */
export async function sendMention(
  server: Pick<TestServer, 'url' | 'token'>,
  typed: string,
  options: SendOptions & { activity?: ActivityOptions } = {},
): Promise<WebhookResponse> {
  const body = JSON.stringify(buildMessageActivity(typed, options.activity));
  return postSigned(server, body, options);
}
