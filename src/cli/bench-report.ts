import type { LoadClientResult } from './load-client';
import type { ProfileSummary } from './bench-profile';

/** Everything one benchmark run measured. */
export interface BenchFigures {
  machine: string;
  seconds: number;
  connections: number;
  starts: number;
  /**
   * Median milliseconds from spawn to the first 200 reply: to `echo` for the bare server, the
   * service (the bundle that `npm start` runs) and the service from tsc's output (`compiled`),
   * and to `help`, a card reply, for the service (`serviceCard`). `bareBundled` is the bare
   * server bundled with esbuild.
   */
  startup: Partial<Record<'bare' | 'service' | 'serviceCard' | 'compiled' | 'bareBundled', number>>;
  /** CPU profile of one start of the service, until every card template has compiled. */
  profile: ProfileSummary;
  /** CPU profile of the service from spawn through a load run of text and card mentions. */
  loadProfile: ProfileSummary;
  /** Load results by row label; the row labelled `bare` is the baseline. */
  load: Record<string, LoadClientResult>;
  memory: {
    earlyRequests: number;
    requests: number;
    /** Resident megabytes after `earlyRequests`. */
    afterEarly: number;
    /** Resident megabytes after `requests`. */
    afterAll: number;
    /** Resident megabytes after each share of the requests, first to last. */
    samples: { requests: number; megabytes: number }[];
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

function startupRow(server: string, reply: string, ms?: number, bareMs?: number): string {
  const ratio = ms !== undefined && bareMs !== undefined ? (ms / bareMs).toFixed(2) : '';
  return `| ${server} | ${reply} | ${ms?.toFixed(0) ?? ''} | ${ratio} |`;
}

/** Formats a profile's steps and top self times as two tables. */
function profileTables(profile: ProfileSummary): string[] {
  const ms = (value: number) => value.toFixed(1);
  return [
    '| step (inclusive, so rows may overlap) | CPU ms |',
    '| --- | --- |',
    ...profile.steps.map((step) => `| ${step.label} | ${ms(step.ms)} |`),
    '',
    '| function (top self time) | file | CPU ms |',
    '| --- | --- | --- |',
    ...profile.topSelf.map((entry) => `| \`${entry.name}\` | ${entry.file} | ${ms(entry.ms)} |`),
    '',
  ];
}

/** Formats the two profiles as the "where the time goes" section. */
function profileSection(figures: BenchFigures): string[] {
  const busy = (profile: ProfileSummary) => `${profile.busyMs.toFixed(0)} ms of CPU time in all`;
  return [
    '## Where the time goes',
    '',
    'Profiles taken with `node --cpu-prof`, which slows the process down, so read the figures as',
    'shares of the total.',
    '',
    '### Start-up',
    '',
    'One start of the service, from spawn until `/readyz` returns 200 (every card template',
    `compiled) and one signed mention gets its reply: ${busy(figures.profile)}.`,
    '',
    ...profileTables(figures.profile),
    '### Under load',
    '',
    `One start of the service, 3 s of warm-up and ${figures.seconds} s of text and card mentions`,
    `at ${figures.connections} connections: ${busy(figures.loadProfile)}.`,
    '',
    ...profileTables(figures.loadProfile),
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
    'From spawning `node` on the entry file to the first 200 reply to a signed mention.',
    '',
    '| server | first reply | ms | × bare |',
    '| --- | --- | --- | --- |',
    startupRow('bare', 'text (`echo`)', figures.startup.bare, figures.startup.bare),
    startupRow('service', 'text (`echo`)', figures.startup.service, figures.startup.bare),
    startupRow('service', 'card (`help`)', figures.startup.serviceCard, figures.startup.bare),
    startupRow(
      'service from `dist/src` (tsc output, not bundled)',
      'text (`echo`)',
      figures.startup.compiled,
      figures.startup.bare,
    ),
    startupRow(
      'bare, bundled with esbuild (reference only)',
      'text (`echo`)',
      figures.startup.bareBundled,
      figures.startup.bare,
    ),
    '',
    '`npm start` runs `dist/bundle/server.js`, which loads the bundled service from a V8 code',
    'cache made at build time. The service listens before it compiles its card templates and',
    'compiles them right after, one template per turn of the event loop. A mention that arrives',
    'meanwhile is handled between those steps, but it can wait for several of them, because',
    'reading and answering it takes several turns too. The bare server, the baseline of the',
    'target, runs from tsc output as a plain restify service would; the last row shows how much',
    'plain bundling alone takes off its start-up.',
    '',
    ...profileSection(figures),
    '## Memory',
    '',
    `Resident memory of the service: ${figures.memory.afterEarly} MB after ${figures.memory.earlyRequests} requests,`,
    `${figures.memory.afterAll} MB after ${figures.memory.requests} (${figures.memory.non2xx} non-2xx).`,
    'Resident memory after each share of the requests, without forcing a garbage collection',
    'first, which shows whether it levels off:',
    '',
    '| requests | MB |',
    '| --- | --- |',
    ...figures.memory.samples.map((sample) => `| ${sample.requests} | ${sample.megabytes} |`),
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...targets,
    '',
  ].join('\n');
}
