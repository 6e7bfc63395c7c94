import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in a registry of their own so tests can create several. */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'webhook_requests_total',
    help: 'Webhook requests by outcome: replied, empty, failed, overrun, duplicate, refused, or a rejection reason.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly signatureFailures = new Counter({
    name: 'webhook_signature_failures_total',
    help: 'Requests rejected with 401 by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly turnDuration = new Histogram({
    name: 'webhook_turn_duration_seconds',
    help: 'Time from a request arriving to its reply being written, in seconds.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5],
    registers: [this.registry],
  });

  readonly deadlineOverruns = new Counter({
    name: 'webhook_deadline_overruns_total',
    help: 'Turns that were still running when the reply budget ran out.',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
    }
  }
}
