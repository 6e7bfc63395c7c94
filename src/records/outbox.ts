import type { Logger } from '../logger';
import { SIGNATURE_HEADER, signEventBody } from './event-signature';
import type { OutboxRow, OutboxTable } from './outbox-table';
import { formatRecordId } from './record-id';

/** Delay before retry n (from 1) is `min(maxMs, initialMs * factor^(n - 1))`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** First retry after 2 s, doubling up to 5 minutes between attempts. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 2000, maxMs: 5 * 60 * 1000, factor: 2 };

export interface OutboxWorkerOptions {
  outbox: OutboxTable;
  /** The receiver's URL, RECORDS_EVENT_URL. */
  url: string;
  /** Key of the X-Records-Signature HMAC, RECORDS_EVENT_SECRET. */
  secret: string;
  logger: Logger;
  backoff?: BackoffOptions;
  /** Maximum wait for the receiver's response, in milliseconds; 10 000 by default. */
  requestTimeoutMs?: number;
  /** Maximum time between two checks of the outbox, in milliseconds; 10 000 by default. */
  pollIntervalMs?: number;
  /** Most records delivered to at the same time; 8 by default. */
  concurrency?: number;
  now?: () => number;
}

/** Returns the delay in milliseconds before retry `attempt` (from 1). */
export function backoffDelay(attempt: number, backoff: BackoffOptions): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (attempt - 1));
}

/**
 * Sends queued events to the line-of-business app. Each record's events go out one at a time
 * in commit order. A failed event is retried with exponential backoff, and the events of the
 * same record wait behind it. The worker checks the outbox when woken after a commit, when a
 * retry falls due, and at least once per poll interval.
 *
 * Delivery is at least once. An event whose success was not recorded, because of a crash or a
 * shutdown during the request, is sent again with the same id.
 */
export class OutboxWorker {
  private readonly backoff: BackoffOptions;
  private readonly now: () => number;
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private stopped = true;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? Date.now;
  }

  /** Starts delivering, beginning with whatever a previous run left in the outbox. */
  start(): void {
    if (!this.stopped || this.shutdown.signal.aborted) {
      return;
    }
    this.stopped = false;
    this.options.logger.info(
      { pending: this.options.outbox.pendingCount() },
      'event delivery started',
    );
    this.wake();
  }

  /**
   * Asks for a look at the outbox on a later turn of the event loop, so a commit's caller
   * (the command replying to Teams) finishes first.
   */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running !== undefined) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops the worker: aborts requests in flight, which stay queued, and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.shutdown.abort();
    await this.running;
    this.options.logger.info(
      { pending: this.options.outbox.pendingCount() },
      'event delivery stopped',
    );
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = undefined;
        this.scheduleNext();
      });
    }, delayMs);
    this.timer.unref();
  }

  private scheduleNext(): void {
    if (this.stopped) {
      return;
    }
    if (this.wakeRequested) {
      this.wakeRequested = false;
      this.schedule(0);
      return;
    }
    const poll = this.options.pollIntervalMs ?? 10_000;
    let due: number | undefined;
    try {
      due = this.options.outbox.nextDueAt();
    } catch (error) {
      this.options.logger.error({ err: error }, 'reading the outbox failed; retrying later');
    }
    const untilDue = due === undefined ? poll : Math.max(0, due - this.now());
    this.schedule(Math.min(poll, untilDue));
  }

  /** Delivers due events until none is due. */
  private async run(): Promise<void> {
    try {
      for (;;) {
        const batch = this.options.outbox.dueHeads(this.now(), this.options.concurrency ?? 8);
        if (batch.length === 0 || this.stopped) {
          return;
        }
        await Promise.all(batch.map((row) => this.deliver(row)));
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'event delivery run failed; retrying later');
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const attempt = row.attempts + 1;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const log = { eventId: row.eventId, recordId: formatRecordId(row.recordNumber), attempt };
    let failure: string;
    try {
      const response = await this.post(row.body);
      if (response.ok) {
        this.options.outbox.markDelivered(row.seq, attempt, this.now());
        this.options.logger.info(
          { ...log, status: response.status, durationMs: elapsed() },
          'event delivered',
        );
        return;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (this.shutdown.signal.aborted) {
        this.options.logger.info(log, 'event delivery interrupted by shutdown; it stays queued');
        return;
      }
      failure = describeFetchError(error, this.options.requestTimeoutMs ?? 10_000);
    }
    const delayMs = backoffDelay(attempt, this.backoff);
    this.options.outbox.markFailed(row.seq, attempt, this.now() + delayMs, failure);
    this.options.logger.warn(
      { ...log, error: failure, durationMs: elapsed(), retryInMs: delayMs },
      'event delivery failed; will retry',
    );
  }

  private async post(body: string): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000);
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        [SIGNATURE_HEADER]: signEventBody(body, this.options.secret),
      },
      body,
      // A redirect would carry the signed event to another address; it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.any([timeout, this.shutdown.signal]),
    });
    await response.arrayBuffer();
    return response;
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code === undefined ? message : `${message} (${cause.code})`;
}
