import type { LoadClientResult } from './load-client';

/** Everything one benchmark run measured. */
export interface BenchFigures {
  machine: string;
  seconds: number;
  connections: number;
  starts: number;
  /** Median milliseconds from spawn to the first 200 reply, by target name. */
  startup: Partial<Record<'service' | 'bare', number>>;
  /** Load results by row label; the row labelled `bare` is the baseline. */
  load: Record<string, LoadClientResult>;
  memory: {
    earlyRequests: number;
    requests: number;
    /** Resident megabytes after `earlyRequests`. */
    afterEarly: number;
    /** Resident megabytes after `requests`. */
    afterAll: number;
    non2xx: number;
  };
}

interface Target {
  name: string;
  pass: boolean;
  measured: string;
}

/** Checks the figures against the service's targets, each a ratio measured in the same run. */
export function checkTargets(figures: BenchFigures): Target[] {
  const bare = figures.load.bare;
  const text = figures.load['service text (echo)'];
  const card = figures.load['service card (help)'];
  const ratio = (value: number, base: number) => (base > 0 ? value / base : Number.NaN);
  const textThroughput = ratio(text.requestsPerSecond, bare.requestsPerSecond);
  const cardThroughput = ratio(card.requestsPerSecond, bare.requestsPerSecond);
  const p99 = ratio(Math.max(text.latencyMs.p99, card.latencyMs.p99), bare.latencyMs.p99);
  const startup = ratio(figures.startup.service ?? Number.NaN, figures.startup.bare ?? Number.NaN);
  const growth = ratio(
    figures.memory.afterAll - figures.memory.afterEarly,
    figures.memory.afterEarly,
  );
  return [
    {
      name: 'text-reply throughput ≥ 0.6 × bare',
      pass: textThroughput >= 0.6,
      measured: textThroughput.toFixed(2),
    },
    {
      name: 'card-reply throughput ≥ 0.5 × bare',
      pass: cardThroughput >= 0.5,
      measured: cardThroughput.toFixed(2),
    },
    {
      name: `p99 latency at ${figures.connections} connections ≤ 2 × bare`,
      pass: p99 <= 2,
      measured: p99.toFixed(2),
    },
    {
      name: 'spawn to first verified reply ≤ 1.3 × bare',
      pass: startup <= 1.3,
      measured: startup.toFixed(2),
    },
    {
      name: `memory after ${figures.memory.requests} requests within 10% of after ${figures.memory.earlyRequests}`,
      pass: Math.abs(growth) <= 0.1,
      measured: `${(growth * 100).toFixed(1)}%`,
    },
  ];
}

/** Formats the figures as the Markdown page docs/benchmarks.md. */
export function formatBenchReport(figures: BenchFigures): string {
  const bare = figures.load.bare;
  const loadRows = Object.entries(figures.load).map(([label, result]) => {
    const share = (result.requestsPerSecond / bare.requestsPerSecond).toFixed(2);
    return `| ${label} | ${result.requestsPerSecond.toFixed(0)} | ${share} | ${result.latencyMs.p50} | ${result.latencyMs.p99} | ${result.non2xx + result.errors} |`;
  });
  const targets = checkTargets(figures).map(
    (target) => `| ${target.name} | ${target.measured} | ${target.pass ? 'met' : 'missed'} |`,
  );
  return [
    '# Benchmarks',
    '',
    'Produced by `npm run bench -- --write`. Each server runs in its own process; autocannon',
    'sends signed mentions in the shape Teams sends today (a new activity id and timestamp per',
    'request) from a second process on 127.0.0.1. The baseline is a bare restify server that',
    'parses the JSON and returns a fixed message. Only ratios measured in the same run are',
    'compared, because the machine is shared and its absolute speed varies.',
    '',
    `Machine: ${figures.machine}.`,
    '',
    `## Throughput and latency (${figures.seconds} s per row, ${figures.connections} connections, after 3 s of warm-up)`,
    '',
    '| server | requests/s | × bare | p50 ms | p99 ms | failed |',
    '| --- | --- | --- | --- | --- | --- |',
    ...loadRows,
    '',
    `## Start-up (median of ${figures.starts} starts)`,
    '',
    'From spawning `node` on the compiled entry file to the first 200 reply to a signed mention.',
    '',
    '| server | ms |',
    '| --- | --- |',
    `| bare | ${figures.startup.bare?.toFixed(0)} |`,
    `| service | ${figures.startup.service?.toFixed(0)} |`,
    '',
    '## Memory',
    '',
    `Resident memory of the service: ${figures.memory.afterEarly} MB after ${figures.memory.earlyRequests} requests,`,
    `${figures.memory.afterAll} MB after ${figures.memory.requests} (${figures.memory.non2xx} non-2xx).`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...targets,
    '',
  ].join('\n');
}
