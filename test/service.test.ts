import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationFor, buildMessageActivity, createToken } from '../src/testing';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'src', 'index.js');

interface Running {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts the compiled service as `npm start` does, on 127.0.0.1 and a free port. */
async function startProcess(env: NodeJS.ProcessEnv, cwd: string): Promise<Running> {
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      CARDS_DIR: join(ROOT, 'cards'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
        buffered = buffered.slice(newline + 1);
        lines.push(line);
        if (line.msg === 'listening') {
          resolve(`http://127.0.0.1:${String(line.port)}`);
        }
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr.join('')}`)));
  });
  return { child, url, lines, stderr, exited };
}

async function post(url: string, token: string): Promise<number> {
  const body = JSON.stringify(buildMessageActivity('echo hi'));
  const response = await fetch(`${url}/api/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorizationFor(body, token) },
    body,
  });
  await response.text();
  return response.status;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('service process', function () {
  this.timeout(20_000);
  let dir: string;
  let running: Running | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'service-test-'));
  });

  afterEach(async () => {
    if (running !== undefined && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start in production without a token', async () => {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(
      stderr,
      /Configuration error: No webhook token is configured\. Set TEAMS_WEBHOOK_SECRET/,
    );
  });

  async function runUntilExit(
    env: NodeJS.ProcessEnv,
  ): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stderr };
  }

  it('names a broken card template and exits 1 without a stack trace', async () => {
    const cards = join(dir, 'cards');
    mkdirSync(cards);
    writeFileSync(join(cards, 'help.json'), '{"type": "AdaptiveCard",');
    const { code, stderr } = await runUntilExit({
      CARDS_DIR: cards,
      TEAMS_WEBHOOK_SECRET: createToken(),
    });
    assert.equal(code, 1);
    assert.match(stderr, /^Card template error: .*help\.json/m);
    assert.doesNotMatch(stderr, /^\s+at /m);
  });

  it('names an invalid registered-bot setting and exits 1 without a stack trace', async () => {
    const { code, stderr } = await runUntilExit({
      CARDS_DIR: join(ROOT, 'cards'),
      TEAMS_WEBHOOK_SECRET: createToken(),
      MicrosoftAppId: 'not-a-guid',
      MicrosoftAppPassword: 'secret-value',
    });
    assert.equal(code, 1);
    assert.match(stderr, /^Configuration error: .*MicrosoftAppId/m);
    assert.doesNotMatch(stderr, /secret-value/);
    assert.doesNotMatch(stderr, /^\s+at /m);
  });

  it('exits 1 when the port is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, stderr } = await runUntilExit({
        CARDS_DIR: join(ROOT, 'cards'),
        TEAMS_WEBHOOK_SECRET: createToken(),
        DATABASE_PATH: join(dir, 'records.db'),
        PORT: String(port),
      });
      assert.equal(code, 1);
      assert.match(stderr, /^Start-up failed \(EADDRINUSE\): listen EADDRINUSE/m);
    } finally {
      blocker.close();
    }
  });

  it('names a records database it cannot open and exits 1', async () => {
    writeFileSync(join(dir, 'not-a-folder'), '');
    const { code, stderr } = await runUntilExit({
      CARDS_DIR: join(ROOT, 'cards'),
      TEAMS_WEBHOOK_SECRET: createToken(),
      DATABASE_PATH: join(dir, 'not-a-folder', 'records.db'),
    });
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^Records database error: Cannot open the records database .*Set DATABASE_PATH/m,
    );
    assert.doesNotMatch(stderr, /^\s+at /m);
  });

  it('starts with a development key and prints how to send a test mention', async () => {
    running = await startProcess({}, dir);
    await waitFor(() => running!.stderr.join('').includes('npm run simulate'), 'the hint');
    const token = readFileSync(join(dir, 'data', 'dev-webhook-secret'), 'utf8').trim();
    assert.equal(await post(running.url, token), 200);
    assert.match(running.stderr.join(''), /development key stored in .*dev-webhook-secret/);
  });

  it('re-reads the secrets file on SIGHUP and keeps the old keys when it is invalid', async () => {
    const file = join(dir, 'secrets');
    const oldToken = createToken();
    const newToken = createToken();
    writeFileSync(file, `default:${oldToken}\n`);
    running = await startProcess({ TEAMS_WEBHOOK_SECRETS_FILE: file }, dir);
    assert.equal(await post(running.url, oldToken), 200);
    assert.equal(await post(running.url, newToken), 401);

    writeFileSync(file, `default:${newToken}\n`);
    running.child.kill('SIGHUP');
    await waitFor(
      () => running!.lines.some((line) => line.msg === 'webhook keys reloaded'),
      'reload',
    );
    assert.equal(await post(running.url, newToken), 200);
    assert.equal(await post(running.url, oldToken), 401);

    writeFileSync(file, 'default:not-a-token\n');
    running.child.kill('SIGHUP');
    await waitFor(
      () => running!.lines.some((line) => String(line.msg).startsWith('webhook keys not reloaded')),
      'the failed reload',
    );
    assert.equal(await post(running.url, newToken), 200);
    assert.doesNotMatch(JSON.stringify(running.lines), /not-a-token/);
  });

  it('finishes an in-flight request on SIGTERM and exits 0', async () => {
    const token = createToken();
    running = await startProcess({ TEAMS_WEBHOOK_SECRET: token }, dir);
    const body = JSON.stringify(buildMessageActivity('echo finishing'));
    let signalledAt = Date.now();
    const half = Math.floor(body.length / 2);

    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${running!.url}/api/webhook`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          Authorization: authorizationFor(body, token),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        signalledAt = Date.now();
        running!.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(half)), 200);
      }, 100);
    });

    const { status, text } = await response;
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(text), { type: 'message', text: 'finishing' });
    const exitCode = await running.exited;
    const stoppedAfterMs = Date.now() - signalledAt;
    assert.equal(exitCode, 0);
    assert.ok(running.lines.some((line) => line.msg === 'stopped'));
    // The kept-alive connection is closed once idle, well before the five-second grace period.
    assert.ok(stoppedAfterMs < 3000, `stopped ${stoppedAfterMs} ms after SIGTERM`);
    assert.ok(!running.lines.some((line) => String(line.msg).startsWith('closing connections')));
  });
});
