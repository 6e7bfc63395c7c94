/**
 * `npm run bench`: measures this service against a bare restify server in one run on the same
 * machine. Each server runs in its own process and autocannon drives it from another, so the
 * figures compare as ratios even on a shared, noisy machine. `--write` records the table in
 * docs/benchmarks.md.
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildMessageActivity } from '../testing/activities';
import { authorizationFor, createToken } from '../testing/signing';
import { parseCliOptions, readWholeNumber } from './cli-options';
import { runLoadClient } from './load-test';
import type { LoadClientResult } from './load-client';
import {
  LOAD_STEPS,
  summariseProfile,
  type CpuProfile,
  type ProfileSummary,
  type StartupStep,
} from './bench-profile';
import { formatBenchReport, type BenchFigures } from './bench-report';

const ROOT = join(__dirname, '..', '..', '..');

const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures this service against a bare restify server on 127.0.0.1, each in its own process.

Options:
  --seconds N            load per row, in seconds (default 10)
  --connections N        concurrent connections of the load generator (default 32)
  --starts N             starts measured for spawn to first reply (default 7)
  --memory-requests N    requests of the memory run; memory is sampled after a tenth and after
                         all of them (default 100000)
  --write                also write the table to docs/benchmarks.md
  --help                 print this help`;
/** The bundle that `npm start` runs. */
const SERVICE_ENTRY = join(ROOT, 'dist', 'bundle', 'server.js');
/** tsc's output, which the tests and the test kit load. */
const COMPILED_ENTRY = join(ROOT, 'dist', 'src', 'index.js');
const BARE_ENTRY = join(__dirname, 'bench-bare-server.js');
/** Memory samples of the memory run, one after each equal share of its requests. */
const MEMORY_SAMPLES = 10;
/** The bare server bundled with esbuild, for a reference row in the start-up table. */
const BARE_BUNDLE = join(ROOT, 'dist', 'bench', 'bare-server.js');

interface Target {
  name: string;
  /** Starts the server on `port`, passing `nodeArgs` to node before the entry file. */
  start(port: number, nodeArgs?: string[]): ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Bundles the bare server as plainly as possible: one file, no rewrites, no code cache. */
async function bundleBareServer(): Promise<void> {
  await build({
    entryPoints: [BARE_ENTRY],
    outfile: BARE_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['dtrace-provider'],
    logLevel: 'warning',
  });
}

function targets(token: string): Record<'service' | 'compiled' | 'bare' | 'bareBundled', Target> {
  const spawnNode = (entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []) =>
    spawn(process.execPath, ['--disable-warning=DEP0111', ...nodeArgs, entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: 'ignore',
    });
  const serviceEnv = (port: number) => ({
    NODE_ENV: 'production',
    TEAMS_WEBHOOK_SECRET: token,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_PATH: join(ROOT, 'data', 'bench-records.db'),
  });
  return {
    service: {
      name: 'service',
      start: (port, nodeArgs) => spawnNode(SERVICE_ENTRY, serviceEnv(port), nodeArgs),
    },
    compiled: {
      name: 'service from dist/src',
      start: (port, nodeArgs) => spawnNode(COMPILED_ENTRY, serviceEnv(port), nodeArgs),
    },
    bare: {
      name: 'bare',
      start: (port, nodeArgs) => spawnNode(BARE_ENTRY, { PORT: String(port) }, nodeArgs),
    },
    bareBundled: {
      name: 'bare, bundled',
      start: (port, nodeArgs) => spawnNode(BARE_BUNDLE, { PORT: String(port) }, nodeArgs),
    },
  };
}

/**
 * Sends signed mentions of `typed` until one gets 200; returns the time from `since` in
 * milliseconds.
 */
async function firstReply(
  url: string,
  token: string,
  since: number,
  typed = 'echo first',
): Promise<number> {
  for (;;) {
    const body = JSON.stringify(buildMessageActivity(typed));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: authorizationFor(body, token),
        },
        body,
      });
      await response.arrayBuffer();
      if (response.status === 200) {
        return performance.now() - since;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measureStartup(
  target: Target,
  token: string,
  starts: number,
  typed?: string,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const port = await freePort();
    const since = performance.now();
    const child = target.start(port);
    times.push(await firstReply(`http://127.0.0.1:${port}/api/webhook`, token, since, typed));
    await stop(child);
  }
  return times;
}

/** Polls `url` until it returns 200. */
async function waitForStatus200(url: string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Profiles one start of the service with `node --cpu-prof`, from spawn until /readyz returns 200
 * (every card template compiled) and one signed mention gets its reply.
 */
async function profileStartup(target: Target, token: string): Promise<ProfileSummary> {
  return profileRun(target, async (port) => {
    await firstReply(`http://127.0.0.1:${port}/api/webhook`, token, performance.now());
    await waitForStatus200(`http://127.0.0.1:${port}/readyz`);
  });
}

/**
 * Profiles the service with `node --cpu-prof` from spawn through `seconds` of load with text and
 * card mentions, after the same warm-up as the throughput rows.
 */
async function profileLoad(
  target: Target,
  token: string,
  connections: number,
  seconds: number,
): Promise<ProfileSummary> {
  const messages = [
    { text: 'echo hello', weight: 1 },
    { text: 'help', weight: 1 },
  ];
  return profileRun(
    target,
    async (port) => {
      const url = `http://127.0.0.1:${port}/api/webhook`;
      await firstReply(url, token, performance.now());
      await runLoadClient({ url, token, connections, durationSeconds: 3, messages });
      await runLoadClient({ url, token, connections, durationSeconds: seconds, messages });
    },
    LOAD_STEPS,
  );
}

/** Starts `target` under `node --cpu-prof`, runs `work`, stops it and summarises the profile. */
async function profileRun(
  target: Target,
  work: (port: number) => Promise<void>,
  steps?: StartupStep[],
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  try {
    const port = await freePort();
    const child = target.start(port, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    await work(port);
    await stop(child);
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return summariseProfile(profile, steps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function residentMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return Math.round((kilobytes / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const { values } = parseCliOptions(
    {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      starts: { type: 'string', default: '7' },
      'memory-requests': { type: 'string', default: '100000' },
      write: { type: 'boolean', default: false },
    },
    BENCH_USAGE,
  );
  const seconds = readWholeNumber(values.seconds, '--seconds', 1, BENCH_USAGE);
  const connections = readWholeNumber(values.connections, '--connections', 1, BENCH_USAGE);
  const starts = readWholeNumber(values.starts, '--starts', 1, BENCH_USAGE);
  const memoryRequests = readWholeNumber(
    values['memory-requests'],
    '--memory-requests',
    100,
    BENCH_USAGE,
  );
  const token = createToken();
  const { service, compiled, bare, bareBundled } = targets(token);
  await bundleBareServer();

  const startup: BenchFigures['startup'] = {};
  const startupRuns: [keyof BenchFigures['startup'], Target, string?][] = [
    ['bare', bare],
    ['service', service],
    ['serviceCard', service, 'help'],
    ['compiled', compiled],
    ['bareBundled', bareBundled],
  ];
  for (const [key, target, typed] of startupRuns) {
    console.log(`${target.name}: ${starts} starts, spawn to first reply to ${typed ?? 'echo'}`);
    startup[key] = median(await measureStartup(target, token, starts, typed));
  }
  console.log('service: one start profiled with --cpu-prof');
  const profile = await profileStartup(service, token);

  const load: BenchFigures['load'] = {};
  const runs: [string, Target, string][] = [
    ['bare', bare, 'echo hello'],
    ['service text (echo)', service, 'echo hello'],
    ['service card (help)', service, 'help'],
  ];
  for (const [label, target, text] of runs) {
    const port = await freePort();
    const child = target.start(port);
    const url = `http://127.0.0.1:${port}/api/webhook`;
    await firstReply(url, token, performance.now());
    const messages = [{ text, weight: 1 }];
    console.log(`${label}: warm-up 3 s, then ${seconds} s at ${connections} connections`);
    await runLoadClient({ url, token, connections, durationSeconds: 3, messages });
    load[label] = await runLoadClient({
      url,
      token,
      connections,
      durationSeconds: seconds,
      messages,
    });
    await stop(child);
  }

  console.log(`service: ${seconds} s of load profiled with --cpu-prof`);
  const loadProfile = await profileLoad(service, token, connections, seconds);
  const memory = await measureMemory(service, token, connections, memoryRequests);
  const figures: BenchFigures = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`,
    seconds,
    connections,
    starts: starts,
    startup,
    profile,
    loadProfile,
    load,
    memory,
  };
  const report = formatBenchReport(figures);
  console.log(report);
  if (values.write) {
    // Formatted as `npm run format` would, so the written page passes the format check.
    const file = join(ROOT, 'docs', 'benchmarks.md');
    const options = await resolveConfig(file);
    writeFileSync(file, await format(report, { ...options, filepath: file }));
    console.log('wrote docs/benchmarks.md');
  }
}

/**
 * Measures the resident memory of the service after each tenth of `requests`. The target
 * compares the first sample with the last.
 */
async function measureMemory(
  target: Target,
  token: string,
  connections: number,
  requests: number,
): Promise<BenchFigures['memory']> {
  const port = await freePort();
  const child = target.start(port);
  const url = `http://127.0.0.1:${port}/api/webhook`;
  await firstReply(url, token, performance.now());

  const messages = [
    { text: 'echo hello', weight: 1 },
    { text: 'help', weight: 1 },
  ];
  const chunk = Math.round(requests / MEMORY_SAMPLES);
  console.log(`memory: ${MEMORY_SAMPLES} × ${chunk} requests, sampled after each`);
  const samples: BenchFigures['memory']['samples'] = [];
  let non2xx = 0;
  for (let sent = chunk; samples.length < MEMORY_SAMPLES; sent += chunk) {
    const result: LoadClientResult = await runLoadClient({
      url,
      token,
      connections,
      amount: chunk,
      messages,
    });
    non2xx += result.non2xx;
    samples.push({ requests: sent, megabytes: residentMegabytes(child.pid ?? 0) });
  }
  await stop(child);

  const [first, last] = [samples[0], samples[samples.length - 1]];
  return {
    earlyRequests: first.requests,
    requests: last.requests,
    afterEarly: first.megabytes,
    afterAll: last.megabytes,
    samples,
    non2xx,
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
