import type { Request, Response } from 'restify';
import type { Activity } from 'botframework-schema';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { parseActivity } from '../webhook/activity';
import type { ActivityProcessor } from '../webhook/activity-processor';
import type { KeyRing } from '../webhook/key-ring';
import { verifySignature } from '../webhook/signature';
import { readRawBody } from './read-body';

export interface WebhookRouteOptions {
  keyRing: KeyRing;
  processor: ActivityProcessor;
  logger: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  /** Monotonic clock in milliseconds; the processor's deadlines count from its value on arrival. */
  now?: () => number;
}

/** Status logged for a request whose client closed the connection before it was read. */
const CLIENT_CLOSED_REQUEST = 499;

/** Fields of the request log line for one webhook request. */
interface RequestOutcome {
  status: number;
  reason?: string;
  webhookId?: string;
  activityType?: string;
}

/**
 * Handles `POST /api/webhook[/:id][?id=]`. The checks run in this order, each failure rejected
 * with an empty body: size (413), signature over the raw bytes (401), content type (415), JSON
 * (400), activity shape (400), timestamp (401). A verified activity gets 200 and one message.
 */
export function createWebhookHandler(options: WebhookRouteOptions) {
  const { logger, metrics } = options;
  const now = options.now ?? (() => performance.now());

  return async function handleWebhook(req: Request, res: Response): Promise<void> {
    const arrivedAt = now();
    const requestId = req.id();
    let outcome: RequestOutcome;
    try {
      outcome = await processRequest(req, res, requestId, arrivedAt, options);
    } catch (error) {
      logger.error({ err: error, requestId }, 'webhook request failed');
      outcome = { status: 500, reason: 'internal_error' };
      sendEmpty(res, 500);
    }
    const durationMs = Math.round((now() - arrivedAt) * 10) / 10;
    recordMetrics(metrics, outcome, durationMs);
    const level = outcome.status === 200 ? 'info' : 'warn';
    logger[level]({ requestId, ...outcome, durationMs }, 'webhook request');
  };
}

function recordMetrics(metrics: Metrics, outcome: RequestOutcome, durationMs: number): void {
  metrics.requests.inc({ outcome: outcome.reason ?? String(outcome.status) });
  if (outcome.status === 401 && outcome.reason !== undefined) {
    metrics.signatureFailures.inc({ reason: outcome.reason });
  }
  if (outcome.status === 200) {
    metrics.turnDuration.observe(durationMs / 1000);
  }
  if (outcome.reason === 'overrun') {
    metrics.deadlineOverruns.inc();
  }
}

async function processRequest(
  req: Request,
  res: Response,
  requestId: string,
  arrivedAt: number,
  options: WebhookRouteOptions,
): Promise<RequestOutcome> {
  const read = await readRawBody(req, options.maxBodyBytes);
  if (!read.ok && read.reason === 'client_aborted') {
    // Nothing can be sent on a closed connection; 499 is nginx's code for this case.
    return { status: CLIENT_CLOSED_REQUEST, reason: read.reason };
  }
  if (!read.ok) {
    sendEmpty(res, 413, true);
    return { status: 413, reason: read.reason };
  }

  const requestedId = webhookIdOf(req);
  const keys = options.keyRing.keysFor(requestedId);
  if (requestedId !== undefined && keys.length === 0) {
    return reject(res, 401, 'webhook_unknown', forLog(requestedId));
  }
  const signature = verifySignature(read.body, req.headers.authorization, keys);
  if (!signature.ok) {
    return reject(res, 401, signature.reason, forLog(requestedId));
  }
  const { webhookId } = signature;

  if (!isJsonContentType(req.headers['content-type'])) {
    return reject(res, 415, 'content_type_not_json', webhookId);
  }
  const parsed = parseActivity(read.body);
  if (!parsed.ok) {
    return reject(res, 400, parsed.reason, webhookId);
  }

  const result = await options.processor.process(
    parsed.activity,
    { requestId, webhookId },
    arrivedAt,
  );
  if (result.status !== 200) {
    return reject(res, result.status, result.reason, webhookId);
  }
  sendJson(res, result.reply);
  return { status: 200, webhookId, activityType: parsed.activity.type, reason: result.outcome };
}

function reject(res: Response, status: number, reason: string, webhookId?: string): RequestOutcome {
  sendEmpty(res, status);
  return { status, reason, webhookId };
}

/** Shortens a client-supplied webhook id for the log, so a huge id cannot flood it. */
function forLog(webhookId: string | undefined): string | undefined {
  const max = 64;
  return webhookId !== undefined && webhookId.length > max
    ? `${webhookId.slice(0, max)}… (${webhookId.length} characters)`
    : webhookId;
}

/** Reads the webhook id from the path (`/api/webhook/:id`) or the query (`?id=`), if any. */
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
