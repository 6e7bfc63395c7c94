import type { AddressInfo } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import { createApp, type App, type AppOptions } from './app';
import { loadTemplatingEngine, type CardRenderer } from './cards/card-renderer';
import { ConfigError, reloadWebhookKeys, type Config } from './config';
import type { Logger } from './logger';

/** How long in-flight requests may run after a stop signal, in milliseconds. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** How often idle keep-alive connections are closed while stopping, in milliseconds. */
const IDLE_SWEEP_MS = 100;

export interface Service {
  app: App;
  address: AddressInfo;
  /**
   * Settles when the card templates, compiled after the server starts listening, are ready.
   * Rejects with the CardTemplateError of the first template that does not compile, after
   * stopping the service.
   */
  cardsCompiled: Promise<void>;
  /** Re-reads TEAMS_WEBHOOK_SECRETS_FILE; an invalid new set is logged and the old one kept. */
  reloadKeys(): boolean;
  /**
   * Stops accepting connections, waits for in-flight requests (or cuts them off after the grace
   * period), then stops event delivery and closes the records database.
   */
  stop(): Promise<void>;
}

/**
 * Creates the app and starts listening on the configured host and port. The card templates are
 * compiled after that (see `Service.cardsCompiled`): loading the templating engine takes longer
 * than anything else at start-up, and a text reply does not need it.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: AppOptions = {},
): Promise<Service> {
  const app = createApp(config, logger, { deferCardCompile: true, ...options });
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => {
      app.server.off('error', reject);
      resolve();
    });
  });
  const address = app.server.address() as AddressInfo;
  logger.info(
    { host: address.address, port: address.port, webhookIds: app.keyRing.webhookIds },
    'listening',
  );
  const cardsCompiled = compileCards(app.cards).catch(async (error: unknown) => {
    await stopServer(app, logger);
    throw error;
  });

  return {
    app,
    address,
    cardsCompiled,
    reloadKeys: () => reloadKeys(config, app, logger),
    stop: () => stopServer(app, logger),
  };
}

/**
 * Loads the templating engine, then compiles the templates left uncompiled, one step per turn of
 * the event loop, so that requests that arrive meanwhile are handled between the steps.
 */
async function compileCards(cards: CardRenderer): Promise<void> {
  if (cards.uncompiled.length === 0) {
    return;
  }
  await setImmediate();
  loadTemplatingEngine();
  for (const name of cards.uncompiled) {
    await setImmediate();
    cards.compile(name);
  }
}

function reloadKeys(config: Config, app: App, logger: Logger): boolean {
  try {
    const keys = reloadWebhookKeys(config);
    app.keyRing.replace(keys);
    logger.info({ webhookIds: app.keyRing.webhookIds, keys: keys.length }, 'webhook keys reloaded');
    return true;
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    logger.error({ error: message }, 'webhook keys not reloaded; the previous keys stay in use');
    return false;
  }
}

async function stopServer(app: App, logger: Logger): Promise<void> {
  await closeServer(app, logger);
  await app.close();
}

function closeServer(app: App, logger: Logger): Promise<void> {
  const http = app.server.server;
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      logger.warn(
        { graceMs: SHUTDOWN_GRACE_MS },
        'closing connections still open after the grace period',
      );
      http.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // A keep-alive connection turns idle when its last response is written; close it then
    // rather than waiting for the client or the grace period.
    const sweep = setInterval(() => http.closeIdleConnections(), IDLE_SWEEP_MS);
    http.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    http.closeIdleConnections();
  });
}
