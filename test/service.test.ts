import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { CardTemplateError } from '../src/cards/card-renderer';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startService, type Service } from '../src/service';
import { authorizationFor, buildMessageActivity, createToken } from '../src/testing';
import { REGISTERED_ENV, sendToRegisteredBot } from './registered/helpers';

const ROOT = join(__dirname, '..', '..');

/** The entry files the service runs from: tsc's output, and the bundle that `npm start` runs. */
const BUNDLE_DIR = join(ROOT, 'dist', 'bundle');
const ENTRIES = {
  compiled: join(ROOT, 'dist', 'src', 'index.js'),
  bundled: join(BUNDLE_DIR, 'server.js'),
};

/** The bundles that the entry file loads, each with a `<file>.cache` of V8 code cache. */
const CACHED_BUNDLES = ['service.js', 'templating.js'];

let bundleBuilt = false;

/** Builds dist/bundle once from this run's dist/src, so that the bundle under test is current. */
function buildBundle(): void {
  if (bundleBuilt) {
    return;
  }
  const script = join(ROOT, 'scripts', 'build-bundle.mjs');
  execFileSync(process.execPath, ['--disable-warning=DEP0111', script], { cwd: ROOT });
  bundleBuilt = true;
}

interface Running {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts the service from `entry` as `npm start` does, on 127.0.0.1 and a free port. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Running> {
  const child = spawn(process.execPath, [entry], {
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

async function mention(
  url: string,
  token: string,
  typed: string,
): Promise<{ status: number; reply?: { text?: string; attachments?: { contentType: string }[] } }> {
  const body = JSON.stringify(buildMessageActivity(typed));
  const response = await fetch(`${url}/api/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorizationFor(body, token) },
    body,
  });
  const text = await response.text();
  return { status: response.status, reply: text === '' ? undefined : JSON.parse(text) };
}

async function post(url: string, token: string): Promise<number> {
  return (await mention(url, token, 'echo hi')).status;
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

for (const [kind, entry] of Object.entries(ENTRIES)) {
  describeProcess(kind, entry);
}

function describeProcess(kind: string, entry: string): void {
  describe(`service process, ${kind}`, function () {
    this.timeout(20_000);
    let dir: string;
    let running: Running | undefined;

    before(function () {
      if (kind === 'bundled') {
        this.timeout(60_000);
        buildBundle();
      }
    });

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
      const child = spawn(process.execPath, [entry], {
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
      const child = spawn(process.execPath, [entry], {
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
      running = await startProcess(entry, {}, dir);
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
      running = await startProcess(entry, { TEAMS_WEBHOOK_SECRETS_FILE: file }, dir);
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
        () =>
          running!.lines.some((line) => String(line.msg).startsWith('webhook keys not reloaded')),
        'the failed reload',
      );
      assert.equal(await post(running.url, newToken), 200);
      assert.doesNotMatch(JSON.stringify(running.lines), /not-a-token/);
    });

    it('finishes an in-flight request on SIGTERM and exits 0', async () => {
      const token = createToken();
      running = await startProcess(entry, { TEAMS_WEBHOOK_SECRET: token }, dir);
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

    it('answers text and card mentions', async () => {
      const token = createToken();
      running = await startProcess(entry, { TEAMS_WEBHOOK_SECRET: token }, dir);

      const text = await mention(running.url, token, 'echo from the process');
      assert.equal(text.status, 200);
      assert.equal(text.reply?.text, 'from the process');

      const card = await mention(running.url, token, 'help');
      assert.equal(card.status, 200);
      assert.equal(
        card.reply?.attachments?.[0].contentType,
        'application/vnd.microsoft.card.adaptive',
      );
    });

    it('names a template with an invalid binding and exits 1', async () => {
      const cards = join(dir, 'cards');
      mkdirSync(cards);
      const body = [{ type: 'TextBlock', text: '${name(}' }];
      writeFileSync(join(cards, 'help.json'), JSON.stringify({ type: 'AdaptiveCard', body }));
      const { code, stderr } = await runUntilExit({
        CARDS_DIR: cards,
        TEAMS_WEBHOOK_SECRET: createToken(),
        DATABASE_PATH: join(dir, 'records.db'),
      });
      assert.equal(code, 1);
      assert.match(
        stderr,
        /^Card template error: .*help\.json has an invalid binding expression at \$\.body\[0\]\.text/m,
      );
      assert.doesNotMatch(stderr, /^\s+at /m);
    });

    it('names a template that is not an object and exits 1', async () => {
      const cards = join(dir, 'cards');
      mkdirSync(cards);
      writeFileSync(join(cards, 'help.json'), '[]');
      const { code, stderr } = await runUntilExit({
        CARDS_DIR: cards,
        TEAMS_WEBHOOK_SECRET: createToken(),
        DATABASE_PATH: join(dir, 'records.db'),
      });
      assert.equal(code, 1);
      assert.match(stderr, /^Card template error: .*help\.json is not an Adaptive Card template/m);
    });
  });
}

describe('service process, bundle files', function () {
  this.timeout(20_000);
  let dir: string;
  let running: Running | undefined;

  before(function () {
    this.timeout(60_000);
    buildBundle();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  });

  afterEach(async () => {
    if (running !== undefined && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Module loads that Node reports with NODE_DEBUG=module, by requested name. */
  const loadedPackage = (stderr: string[], name: string) =>
    stderr.join('').includes(`Module._load REQUEST ${name} `);

  it('serves mentions without loading botframework-connector', async () => {
    const token = createToken();
    const env = { TEAMS_WEBHOOK_SECRET: token, NODE_DEBUG: 'module' };
    running = await startProcess(ENTRIES.bundled, env, dir);

    assert.equal((await mention(running.url, token, 'echo hi')).status, 200);
    assert.equal((await mention(running.url, token, 'help')).status, 200);
    assert.ok(loadedPackage(running.stderr, 'better-sqlite3'), 'NODE_DEBUG reports loads');
    assert.equal(loadedPackage(running.stderr, 'botframework-connector'), false);
  });

  it('loads botframework-connector for the registered bot', async () => {
    const env = { ...REGISTERED_ENV, TEAMS_WEBHOOK_SECRET: createToken(), NODE_DEBUG: 'module' };
    running = await startProcess(ENTRIES.bundled, env, dir);

    const response = await sendToRegisteredBot(running, 'help');
    assert.equal(response.status, 401);
    assert.ok(loadedPackage(running.stderr, 'botframework-connector'));
    await waitFor(
      () => running!.lines.some((line) => line.msg === 'bot framework token rejected'),
      'the rejection in the log',
    );
  });
  it('ships a code cache that V8 accepts for each bundle', () => {
    for (const name of CACHED_BUNDLES) {
      const file = join(BUNDLE_DIR, name);
      const source = readFileSync(file);
      const cache = readFileSync(`${file}.cache`);
      const hash = createHash('sha1').update(source).digest();
      assert.deepEqual(cache.subarray(0, hash.length), hash, `${name}.cache names other source`);
      const script = new Script(Module.wrap(source.toString('utf8')), {
        filename: file,
        cachedData: cache.subarray(hash.length),
      });
      assert.equal(script.cachedDataRejected, false, `V8 rejected ${name}.cache`);
    }
  });

  it('serves with source maps enabled', async () => {
    const token = createToken();
    const env = { TEAMS_WEBHOOK_SECRET: token, NODE_OPTIONS: '--enable-source-maps' };
    running = await startProcess(ENTRIES.bundled, env, dir);
    assert.equal((await mention(running.url, token, 'help')).status, 200);
  });

  it('serves with stale or broken code caches', async () => {
    const copy = mkdtempSync(join(ROOT, 'dist', 'bundle-copy-'));
    try {
      cpSync(BUNDLE_DIR, copy, { recursive: true });
      const [service, engine] = CACHED_BUNDLES.map((name) => join(copy, `${name}.cache`));
      // A cache of other source, and a cache of this source that V8 cannot read.
      writeFileSync(service, Buffer.alloc(40, 1));
      const hash = readFileSync(engine).subarray(0, 20);
      writeFileSync(engine, Buffer.concat([hash, Buffer.from('not a V8 code cache')]));

      const token = createToken();
      running = await startProcess(join(copy, 'server.js'), { TEAMS_WEBHOOK_SECRET: token }, dir);
      assert.equal((await mention(running.url, token, 'echo hi')).status, 200);
      assert.equal((await mention(running.url, token, 'help')).status, 200);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('startService', () => {
  let dir: string;
  let service: Service | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'start-service-'));
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function start(cardsDir: string): Promise<Service> {
    const env = {
      HOST: '127.0.0.1',
      PORT: '0',
      CARDS_DIR: cardsDir,
      TEAMS_WEBHOOK_SECRET: createToken(),
      DATABASE_PATH: join(dir, 'records.db'),
    };
    return startService(loadConfig(env, { cwd: dir }), createLogger('silent'));
  }

  it('compiles the card templates after listening', async () => {
    service = await start(join(ROOT, 'cards'));
    const { cards } = service.app;
    assert.equal(service.app.server.server.listening, true);
    assert.equal(cards.uncompiled.length, cards.names.length);

    await service.cardsCompiled;
    assert.deepEqual(cards.uncompiled, []);
    const response = await fetch(`http://127.0.0.1:${service.address.port}/readyz`);
    assert.equal(response.status, 200);
  });

  it('compiles a template on first use before its turn comes', async () => {
    service = await start(join(ROOT, 'cards'));
    const { cards } = service.app;

    const attachment = cards.render('still-working', { requestId: 'req-1' });
    assert.match(JSON.stringify(attachment.content), /Reference: req-1/);
    assert.equal(cards.uncompiled.includes('still-working'), false);
    assert.ok(cards.uncompiled.length > 0);
    await service.cardsCompiled;
  });

  it('stops the server when a template does not compile', async () => {
    const cards = join(dir, 'cards');
    mkdirSync(cards);
    const body = [{ type: 'TextBlock', text: '${name(}' }];
    writeFileSync(join(cards, 'help.json'), JSON.stringify({ type: 'AdaptiveCard', body }));
    const started = await start(cards);

    await assert.rejects(started.cardsCompiled, (error: Error) => {
      assert.ok(error instanceof CardTemplateError);
      assert.match(error.message, /help\.json has an invalid binding expression/);
      return true;
    });
    assert.equal(started.app.server.server.listening, false);
  });
});
