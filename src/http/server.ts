import restify, { type Server } from 'restify';
import type { Logger } from '../logger';
import { createWebhookHandler, type WebhookRouteOptions } from './webhook-route';

export interface ServerOptions extends WebhookRouteOptions {
  /** Handler of `POST /api/messages`, the registered bot's endpoint; without it, no such route. */
  handleMessages?: (req: restify.Request, res: restify.Response) => Promise<void>;
}

export const WEBHOOK_PATH = '/api/webhook';
export const MESSAGES_PATH = '/api/messages';

/**
 * Creates the restify server with the webhook routes, and the registered bot's route when
 * `handleMessages` is given. Routing errors (404, 405) get an empty body, like every other
 * rejection.
 */
export function createServer(options: ServerOptions): Server {
  const server = restify.createServer({
    name: 'teams-outgoing-webhook',
    handleUncaughtExceptions: false,
  });
  const handleWebhook = createWebhookHandler(options);
  const route = async (req: restify.Request, res: restify.Response) => {
    await handleWebhook(req, res);
  };
  server.post(WEBHOOK_PATH, route);
  server.post(`${WEBHOOK_PATH}/:id`, route);
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

interface RoutingError extends Error {
  statusCode?: number;
}

function logRoutingError(logger: Logger, req: restify.Request, err: RoutingError): void {
  logger.warn(
    { requestId: req.id(), status: err.statusCode, reason: err.name, method: req.method },
    'request rejected by the router',
  );
}
