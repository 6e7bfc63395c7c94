import restify, { type Server } from 'restify';
import type { Logger } from '../logger';
import { addOperationsRoutes, type ReadinessChecks } from './ops-routes';
import { createWebhookHandler, type WebhookRouteOptions } from './webhook-route';

export interface ServerOptions extends WebhookRouteOptions {
  readiness: ReadinessChecks;
  /** Handler of `POST /api/messages`, the registered bot's endpoint; without it, no such route. */
  handleMessages?: (req: restify.Request, res: restify.Response) => Promise<void>;
}

export const WEBHOOK_PATH = '/api/webhook';
export const MESSAGES_PATH = '/api/messages';

/**
 * Slow clients must not hold connections: request headers must arrive within 5 seconds and the
 * whole request within 8, after which Node sends 408 and closes the connection. Teams itself
 * gives up after about five seconds, so a slower upload could never get its reply in time anyway.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 8_000;
/** How often Node checks the two timeouts above; its default is 30 seconds. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Creates the restify server with the webhook and operations routes, and the registered bot's
 * route when `handleMessages` is given. Routing errors (404, 405) get an empty body, like every
 * other rejection.
 */
export function createServer(options: ServerOptions): Server {
  const server = restify.createServer({
    name: 'teams-outgoing-webhook',
    handleUncaughtExceptions: false,
  });
  limitSlowClients(server);
  // NOTE: restify replies to `Expect: 100-continue` itself, so a request announcing a body over
  // MAX_BODY_BYTES gets 100 Continue before its 413; the body is still not read.

  const handleWebhook = createWebhookHandler(options);
  const route = async (req: restify.Request, res: restify.Response) => {
    await handleWebhook(req, res);
  };
  server.post(WEBHOOK_PATH, route);
  server.post(`${WEBHOOK_PATH}/:id`, route);
  addOperationsRoutes(server, options.metrics, options.readiness);
  if (options.handleMessages !== undefined) {
    server.post(MESSAGES_PATH, options.handleMessages);
  }

  server.on(
    'restifyError',
    (req: restify.Request, res: restify.Response, err: RoutingError, done: () => void) => {
      logRoutingError(options.logger, req, err);
      res.sendRaw(err.statusCode ?? 500, '', { 'Content-Length': '0' });
      return done();
    },
  );
  return server;
}

function limitSlowClients(server: Server): void {
  const http = server.server;
  http.headersTimeout = HEADERS_TIMEOUT_MS;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  // Read by Node when the server starts listening; the constructor option is out of reach
  // because restify creates the http.Server itself.
  (http as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    TIMEOUT_CHECK_INTERVAL_MS;
}

interface RoutingError extends Error {
  statusCode?: number;
}

function logRoutingError(logger: Logger, req: restify.Request, err: RoutingError): void {
  logger.warn(
    { requestId: req.id(), status: err.statusCode, reason: reasonCode(err), method: req.method },
    'request rejected by the router',
  );
}

/** Turns restify's error name into a reason code: `MethodNotAllowedError` to `method_not_allowed`. */
function reasonCode(err: RoutingError): string {
  return err.name
    .replace(/Error$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
