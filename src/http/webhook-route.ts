import type { Request, Response } from 'restify';
import type { Activity } from 'botframework-schema';
import type { BotLogic, OutgoingWebhookAdapter } from '../adapter/webhook-adapter';
import type { Logger } from '../logger';
import { parseActivity } from '../webhook/activity';
import type { KeyRing } from '../webhook/key-ring';
import { verifySignature } from '../webhook/signature';
import { readRawBody } from './read-body';

export interface WebhookRouteOptions {
  keyRing: KeyRing;
  adapter: OutgoingWebhookAdapter;
  logic: BotLogic;
  logger: Logger;
  maxBodyBytes: number;
}

/** What the request log line records about one webhook request. */
interface RequestOutcome {
  status: number;
  reason?: string;
  webhookId?: string;
  activityType?: string;
}

/**
 * Handles `POST /api/webhook[/:id][?id=]`. The checks run in this order, each failure answered
 * with an empty body: size (413), signature over the raw bytes (401), content type (415), JSON
 * (400), activity shape (400). A verified activity always gets 200 and one message.
 */
export function createWebhookHandler(options: WebhookRouteOptions) {
  const { logger } = options;

  return async function handleWebhook(req: Request, res: Response): Promise<void> {
    const started = performance.now();
    const requestId = req.id();
    let outcome: RequestOutcome;
    try {
      outcome = await processRequest(req, res, requestId, options);
    } catch (error) {
      logger.error({ err: error, requestId }, 'webhook request failed');
      outcome = { status: 500, reason: 'internal_error' };
      sendEmpty(res, 500);
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const level = outcome.status === 200 ? 'info' : 'warn';
    logger[level]({ requestId, ...outcome, durationMs }, 'webhook request');
  };
}

async function processRequest(
  req: Request,
  res: Response,
  requestId: string,
  options: WebhookRouteOptions,
): Promise<RequestOutcome> {
  const read = await readRawBody(req, options.maxBodyBytes);
  if (!read.ok) {
    sendEmpty(res, 413, true);
    return { status: 413, reason: read.reason };
  }

  const requestedId = webhookIdOf(req);
  const keys = options.keyRing.keysFor(requestedId);
  if (requestedId !== undefined && keys.length === 0) {
    return reject(res, 401, 'webhook_unknown', requestedId);
  }
  const signature = verifySignature(read.body, req.headers.authorization, keys);
  if (!signature.ok) {
    return reject(res, 401, signature.reason, requestedId);
  }
  const { webhookId } = signature;

  if (!isJsonContentType(req.headers['content-type'])) {
    return reject(res, 415, 'content_type_not_json', webhookId);
  }
  const parsed = parseActivity(read.body);
  if (!parsed.ok) {
    return reject(res, 400, parsed.reason, webhookId);
  }

  const turn = await options.adapter.processActivity(
    parsed.activity,
    { requestId, webhookId },
    options.logic,
  );
  sendJson(res, turn.reply);
  return { status: 200, webhookId, activityType: parsed.activity.type, reason: turn.outcome };
}

function reject(res: Response, status: number, reason: string, webhookId?: string): RequestOutcome {
  sendEmpty(res, status);
  return { status, reason, webhookId };
}

/** The webhook id from the path (`/api/webhook/:id`) or the query (`?id=`), if any. */
function webhookIdOf(req: Request): string | undefined {
  const fromPath = (req.params as Record<string, string> | undefined)?.id;
  if (fromPath) {
    return fromPath;
  }
  const fromQuery = new URL(req.url ?? '/', 'http://localhost').searchParams.get('id');
  return fromQuery || undefined;
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json';
}

function sendEmpty(res: Response, status: number, closeConnection = false): void {
  if (res.headersSent) {
    return;
  }
  const headers: Record<string, string> = { 'Content-Length': '0' };
  if (closeConnection) {
    headers.Connection = 'close';
  }
  res.sendRaw(status, '', headers);
}

function sendJson(res: Response, reply: Partial<Activity>): void {
  const body = JSON.stringify(reply);
  res.sendRaw(200, body, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
}
