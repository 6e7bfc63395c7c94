import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import { AuthenticationError } from 'botframework-connector';
import type { Activity, InvokeResponse } from 'botframework-schema';
import type { BotLogic } from '../adapter/webhook-adapter';
import { readRawBody } from '../http/read-body';
import type { Logger } from '../logger';
import { decodeJsonBody, isObject } from '../webhook/activity';
import type { RegisteredBotAdapter } from './cloud-adapter';

/** An HTTP request that carries its server-assigned id, as restify's requests do. */
export interface MessagesRequest extends IncomingMessage {
  id(): string;
}

export interface MessagesRouteOptions {
  adapter: RegisteredBotAdapter;
  logic: BotLogic;
  logger: Logger;
  maxBodyBytes: number;
}

interface RequestOutcome {
  status: number;
  reason?: string;
  activityType?: string;
  deliveryMode?: string;
}

type ParsedActivity = { ok: true; activity: Activity } | { ok: false; reason: string };

/**
 * Handles `POST /api/messages`, the endpoint of the registered bot. The checks run in this
 * order, and each failure gets an empty body: size (413), content type (415), JSON with a
 * string `type` (400), then botbuilder's JWT validation of the `Authorization` header (401).
 *
 * CloudAdapter.process would do the same work, but it needs a body parser in front, writes
 * rejections to console.error and puts the error text in the response. This handler logs through
 * pino and keeps rejection bodies empty, like the webhook route.
 */
export function createMessagesHandler(options: MessagesRouteOptions) {
  const { logger } = options;

  return async function handleMessages(req: MessagesRequest, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = req.id();
    let outcome: RequestOutcome;
    try {
      outcome = await processRequest(req, res, requestId, options);
    } catch (error) {
      logger.error({ err: error, requestId }, 'messages request failed');
      outcome = { status: 500, reason: 'internal_error' };
      sendEmpty(res, 500);
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const level = outcome.status < 400 ? 'info' : 'warn';
    logger[level]({ requestId, ...outcome, durationMs }, 'messages request');
  };
}

async function processRequest(
  req: MessagesRequest,
  res: ServerResponse,
  requestId: string,
  options: MessagesRouteOptions,
): Promise<RequestOutcome> {
  const read = await readRawBody(req, options.maxBodyBytes);
  if (!read.ok && read.reason === 'client_aborted') {
    // Nothing can be sent on a closed connection; 499 is nginx's code for this case.
    return { status: 499, reason: read.reason };
  }
  if (!read.ok) {
    sendEmpty(res, 413, true);
    return { status: 413, reason: read.reason };
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    return reject(res, 415, 'content_type_not_json');
  }
  const parsed = parseBotActivity(read.body);
  if (!parsed.ok) {
    return reject(res, 400, parsed.reason);
  }
  const { activity } = parsed;
  const activityFields = { activityType: activity.type, deliveryMode: activity.deliveryMode };

  let response: InvokeResponse | undefined;
  try {
    response = await options.adapter.processRequest(
      { requestId },
      req.headers.authorization ?? '',
      activity,
      options.logic,
    );
  } catch (error) {
    if (!(error instanceof AuthenticationError)) {
      throw error;
    }
    options.logger.warn({ requestId, detail: error.message }, 'bot framework token rejected');
    return { ...reject(res, 401, 'token_rejected'), ...activityFields };
  }
  sendResponse(res, response);
  return { status: response?.status ?? 200, ...activityFields };
}

/** Parses the body into an activity with a non-empty string `type`, as CloudAdapter.process does. */
function parseBotActivity(body: Buffer): ParsedActivity {
  const decoded = decodeJsonBody(body);
  if (!decoded.ok) {
    return decoded;
  }
  const { value } = decoded;
  const type = isObject(value) ? value.type : undefined;
  if (typeof type !== 'string' || type === '') {
    return { ok: false, reason: 'activity_invalid' };
  }
  // Turns the ISO-8601 timestamps into Date objects and keeps the text in rawTimestamp,
  // rawLocalTimestamp and rawExpiration, the shape that CloudAdapter.process gives handlers.
  return { ok: true, activity: validateAndFixActivity(value as Activity) };
}

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

function reject(res: ServerResponse, status: number, reason: string): RequestOutcome {
  sendEmpty(res, status);
  return { status, reason };
}

// restify's writeHead returns undefined, not the response, so these calls are not chained.
function sendEmpty(res: ServerResponse, status: number, closeConnection = false): void {
  if (res.headersSent) {
    // A failure after the status line went out: end the response so the client is not left waiting.
    if (!res.writableEnded) {
      res.end();
    }
    return;
  }
  const headers: Record<string, string> = { 'Content-Length': '0' };
  if (closeConnection) {
    headers.Connection = 'close';
  }
  res.writeHead(status, headers);
  res.end();
}

/** Writes an invoke or `expectReplies` response as JSON, or 200 with an empty body. */
function sendResponse(res: ServerResponse, response: InvokeResponse | undefined): void {
  if (response?.body === undefined) {
    sendEmpty(res, response?.status ?? 200);
    return;
  }
  const body = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
