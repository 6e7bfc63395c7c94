/**
 * `npm run load-test`: runs the service in this process with a slow command mixed into the
 * sample bot and drives it from a second process on 127.0.0.1. It checks that every request got
 * its reply in time and that memory stayed flat. `--write` records the figures in
 * docs/load-test.md.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../app';
import type { Command } from '../bot/command';
import { loadConfig } from '../config';
import { createToken } from '../testing/signing';
import { DELIVERY_CACHE_SIZE } from '../webhook/delivery-cache';
import { parseCliOptions, readWholeNumber } from './cli-options';
import type { LoadClientResult, LoadClientSettings } from './load-client';

const ROOT = join(__dirname, '..', '..', '..');

const LOAD_TEST_USAGE = `Usage: npm run load-test -- [options]

Runs the service with a slow command in 1% of the turns, loads it from a second process on
127.0.0.1, and checks that every request gets 200 within five seconds and memory stays flat.

Options:
  --seconds N        length of the measured run, in seconds (default 30)
  --connections N    concurrent connections of the load generator (default 32)
  --write            also write the figures to docs/load-test.md
  --help             print this help`;

/** Teams' own limit: a reply later than this shows "Sorry, there was a problem". */
const TEAMS_TIMEOUT_MS = 5000;
/** Largest growth of resident memory between the two samples that still counts as flat. */
const MAX_MEMORY_GROWTH = 0.1;

const slowCommand: Command = {
  name: 'slow',
  usage: 'slow',
  description: 'Takes six seconds, longer than the reply budget.',
  async handle({ context }) {
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await context.sendActivity('finally done');
  },
};

/** Runs the load client in a child process and returns its parsed result. */
export function runLoadClient(settings: LoadClientSettings): Promise<LoadClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load-client.js')], {
      env: { ...process.env, LOAD_CLIENT: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`the load client exited with ${code}`));
        return;
      }
      resolve(JSON.parse(output) as LoadClientResult);
    });
  });
}

/** Requests sent before the first memory sample: more than the repeat cache holds. */
const WARM_UP_REQUESTS = DELIVERY_CACHE_SIZE + 2000;

interface MemorySample {
  residentMb: number;
  heapMb: number;
}

/** Samples memory after a full garbage collection when `--expose-gc` is on. */
function sampleMemory(): MemorySample {
  global.gc?.();
  const usage = process.memoryUsage();
  const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { residentMb: megabytes(usage.rss), heapMb: megabytes(usage.heapUsed) };
}

async function main(): Promise<void> {
  const { values } = parseCliOptions(
    {
      seconds: { type: 'string', default: '30' },
      connections: { type: 'string', default: '32' },
      write: { type: 'boolean', default: false },
    },
    LOAD_TEST_USAGE,
  );
  const seconds = readWholeNumber(values.seconds, '--seconds', 1, LOAD_TEST_USAGE);
  const connections = readWholeNumber(values.connections, '--connections', 1, LOAD_TEST_USAGE);
  const token = createToken();
  const config = loadConfig({ TEAMS_WEBHOOK_SECRET: token, LOG_LEVEL: 'warn' }, { cwd: ROOT });
  const app = createApp(config, pino({ level: 'silent' }), { commands: [slowCommand] });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${app.server.address().port}/api/webhook`;
  const messages = [
    { text: 'echo load test 🚀', weight: 90 },
    { text: 'help', weight: 9 },
    { text: 'slow', weight: 1 },
  ];

  console.log(`warming up with ${WARM_UP_REQUESTS} requests on ${connections} connections`);
  await runLoadClient({ url, token, connections, amount: WARM_UP_REQUESTS, messages });
  const warmMemory = sampleMemory();

  console.log(`loading for ${seconds} s with ${connections} connections, 1% slow turns`);
  const result = await runLoadClient({
    url,
    token,
    connections,
    durationSeconds: seconds,
    messages,
  });
  // Slow turns still running keep their timers; let them finish before the last sample.
  await new Promise((resolve) => setTimeout(resolve, 6500));
  const endMemory = sampleMemory();
  await new Promise<void>((resolve) => app.server.close(() => resolve()));

  const growth = (endMemory.heapMb - warmMemory.heapMb) / warmMemory.heapMb;
  const checks = {
    'every request answered with 200':
      result.non2xx === 0 && result.errors === 0 && result.timeouts === 0,
    [`slowest reply under ${TEAMS_TIMEOUT_MS} ms`]: result.latencyMs.max < TEAMS_TIMEOUT_MS,
    [`heap after garbage collection grew less than ${MAX_MEMORY_GROWTH * 100}%`]:
      growth < MAX_MEMORY_GROWTH,
  };
  const report = formatReport({ seconds, connections, result, warmMemory, endMemory, checks });
  console.log(report);
  if (values.write) {
    writeFileSync(join(ROOT, 'docs', 'load-test.md'), report);
    console.log('wrote docs/load-test.md');
  }
  process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
}

interface ReportInput {
  seconds: number;
  connections: number;
  result: LoadClientResult;
  warmMemory: MemorySample;
  endMemory: MemorySample;
  checks: Record<string, boolean>;
}

function formatReport(input: ReportInput): string {
  const { result } = input;
  const rows = [
    ['requests', String(result.requests)],
    ['requests/s', result.requestsPerSecond.toFixed(0)],
    ['status codes', JSON.stringify(result.statusCodes)],
    ['errors / timeouts', `${result.errors} / ${result.timeouts}`],
    [
      'latency p50 / p99 / max',
      `${result.latencyMs.p50} / ${result.latencyMs.p99} / ${result.latencyMs.max} ms`,
    ],
    [
      'heap / resident after warm-up',
      `${input.warmMemory.heapMb} / ${input.warmMemory.residentMb} MB`,
    ],
    ['heap / resident at the end', `${input.endMemory.heapMb} / ${input.endMemory.residentMb} MB`],
  ];
  const checks = Object.entries(input.checks).map(
    ([name, ok]) => `- ${ok ? 'pass' : 'FAIL'}: ${name}`,
  );
  return [
    '# Load test',
    '',
    'Produced by `npm run load-test -- --write`: the service runs in one process with a `slow`',
    'command (six seconds, longer than the four-second reply budget) mixed into 1% of the',
    'requests; autocannon sends signed mentions from a second process on 127.0.0.1. Each request',
    'carries a new activity id and a fresh timestamp, so none is answered from the repeat cache.',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB,`,
    `Node.js ${process.version}. Run: ${input.seconds} s at ${input.connections} connections, after`,
    `${WARM_UP_REQUESTS} warm-up requests, which fill the repeat cache to its cap. Memory is sampled`,
    'after a full garbage collection.',
    '',
    '| measure | value |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
    ...checks,
    '',
  ].join('\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
