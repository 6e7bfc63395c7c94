/**
 * A load generator meant to run in its own process, so its work does not count against the
 * server it measures. It reads its settings as JSON from the LOAD_CLIENT environment variable,
 * sends signed mentions with autocannon to 127.0.0.1, and prints one JSON line of results.
 */
import autocannon from 'autocannon';
import { buildMessageActivity } from '../testing/activities';
import { authorizationFor } from '../testing/signing';

export interface LoadClientSettings {
  url: string;
  token: string;
  connections: number;
  /** Run time in seconds; `amount` wins when both are set. */
  durationSeconds?: number;
  /** Total requests to send. */
  amount?: number;
  /** Texts typed after the mention, with relative weights. */
  messages: { text: string; weight: number }[];
  /** Seconds before autocannon counts a request as timed out. */
  timeoutSeconds?: number;
}

export interface LoadClientResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function pickWeighted(messages: LoadClientSettings['messages'], index: number): string {
  const total = messages.reduce((sum, message) => sum + message.weight, 0);
  // Deterministic spread: request n takes the message at position n modulo the total weight.
  let slot = index % total;
  for (const message of messages) {
    if (slot < message.weight) {
      return message.text;
    }
    slot -= message.weight;
  }
  return messages[0].text;
}

export async function runLoad(settings: LoadClientSettings): Promise<LoadClientResult> {
  let sequence = 0;
  const result = await autocannon({
    url: settings.url,
    connections: settings.connections,
    duration: settings.durationSeconds ?? 10,
    amount: settings.amount,
    timeout: settings.timeoutSeconds ?? 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const text = pickWeighted(settings.messages, sequence++);
          const body = JSON.stringify(buildMessageActivity(text));
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              authorization: authorizationFor(body, settings.token),
            },
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[status] = Number((stats as { count: number }).count);
  }
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      average: result.latency.average,
    },
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

if (require.main === module) {
  const settings = JSON.parse(process.env.LOAD_CLIENT ?? '') as LoadClientSettings;
  runLoad(settings).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`load client failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
