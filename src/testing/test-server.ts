import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createToken } from './signing';

/** A running server on 127.0.0.1 and an ephemeral port, with its log lines captured. */
export interface TestServer {
  app: App;
  url: string;
  /** The base64 token of webhook `default`. */
  token: string;
  /** Every log line written so far, parsed. */
  logs: Record<string, unknown>[];
  /** Stops listening and drops open connections, so idle keep-alive sockets cannot hang a run. */
  close(): Promise<void>;
}

export interface TestServerOptions extends AppOptions {
  /**
   * Settings as environment variables. TEAMS_WEBHOOK_SECRET defaults to a new random token, and
   * DATABASE_PATH to a new file in a temporary folder that close() deletes.
   */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative settings resolve against; the working folder by default. */
  cwd?: string;
  /** Read `.env` in `cwd` as production does; off by default, so tests stay hermetic. */
  readDotEnv?: boolean;
}

/** The templates this package ships, used when `cwd` has no `cards/` folder. */
const PACKAGE_CARDS = join(__dirname, '..', '..', '..', 'cards');

/**
 * Starts the service on 127.0.0.1, port 0, with the settings of `options.env` only, unless
 * `readDotEnv` is set. Card templates come from `cwd/cards`, else from this package. The
 * remaining options (extra commands, middleware, registered-bot authentication, records tuning)
 * go to createApp as given.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const token = options.env?.TEAMS_WEBHOOK_SECRET ?? createToken();
  const tempDir =
    options.env?.DATABASE_PATH === undefined
      ? mkdtempSync(join(tmpdir(), 'webhook-test-'))
      : undefined;
  const cwd = options.cwd ?? process.cwd();
  const env = {
    LOG_LEVEL: 'debug',
    TEAMS_WEBHOOK_SECRET: token,
    CARDS_DIR: existsSync(join(cwd, 'cards')) ? join(cwd, 'cards') : PACKAGE_CARDS,
    ...(tempDir === undefined ? {} : { DATABASE_PATH: join(tempDir, 'records.db') }),
    ...options.env,
  };
  try {
    return await listenOnEphemeralPort(env, cwd, token, options, tempDir);
  } catch (error) {
    removeFolder(tempDir);
    throw error;
  }
}

function removeFolder(folder: string | undefined): void {
  if (folder !== undefined) {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function listenOnEphemeralPort(
  env: NodeJS.ProcessEnv,
  cwd: string,
  token: string,
  options: TestServerOptions,
  tempDir: string | undefined,
): Promise<TestServer> {
  const config = loadConfig(env, { cwd, dotEnv: options.readDotEnv ?? false });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const app = createApp(config, createLogger(config.logLevel, sink), options);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;

  return {
    app,
    url: `http://127.0.0.1:${port}`,
    token,
    logs,
    close: async () => {
      await new Promise<void>((resolve) => {
        app.server.close(() => resolve());
        app.server.server.closeAllConnections();
      });
      await app.close();
      removeFolder(tempDir);
    },
  };
}
