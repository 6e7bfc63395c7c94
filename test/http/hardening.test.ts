import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import type { Command } from '../../src/bot/command';
import { createLogger } from '../../src/logger';
import {
  buildMessageActivity,
  postSigned,
  sendMention,
  startTestServer,
  type TestServer,
} from '../../src/testing';

/** Creates a command whose turns wait until the test opens the gate. */
function gatedCommand() {
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => (open = resolve));
  const calls: string[] = [];
  const command: Command = {
    name: 'slow',
    usage: 'slow',
    description: 'Waits for the test.',
    async handle({ context, args }) {
      calls.push(args);
      await gate;
      await context.sendActivity(`done ${args}`);
    },
  };
  return {
    command,
    calls,
    open: () => open(),
    reset: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

function cardText(reply: unknown): string {
  return JSON.stringify(reply);
}

describe('hardened webhook server', () => {
  describe('replays', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    const ages: [string, number, number][] = [
      ['fresh', 0, 200],
      ['four minutes old', -240_000, 200],
      ['six minutes old', -360_000, 401],
      ['30 seconds ahead', 30_000, 200],
      ['five minutes ahead', 300_000, 401],
    ];
    for (const [name, offset, status] of ages) {
      it(`answers a ${name} activity with ${status}`, async () => {
        const timestamp = new Date(Date.now() + offset);
        const response = await sendMention(server, 'echo hi', { activity: { timestamp } });
        assert.equal(response.status, status);
      });
    }

    it('rejects an activity without a timestamp and logs why', async () => {
      const activity = buildMessageActivity('echo hi');
      delete activity.timestamp;
      const response = await postSigned(server, JSON.stringify(activity));
      assert.equal(response.status, 401);
      assert.equal(response.body, '');
      assert.equal(server.logs.at(-1)?.reason, 'timestamp_missing');
    });
  });

  describe('repeated deliveries', () => {
    let server: TestServer;
    const slow = gatedCommand();
    let runs = 0;
    const counting: Command = {
      name: 'count',
      usage: 'count',
      description: 'Counts its runs.',
      async handle({ context }) {
        runs += 1;
        await context.sendActivity(`run ${runs}`);
      },
    };

    before(async () => {
      server = await startTestServer({
        env: { REPLY_BUDGET_MS: '300', REPLAY_WINDOW_SECONDS: '0' },
        commands: [slow.command, counting],
      });
    });
    after(() => {
      slow.open();
      return server.close();
    });

    it('answers a repeat with the first reply without running the handler', async () => {
      const body = JSON.stringify(buildMessageActivity('count'));
      const first = await postSigned(server, body);
      const second = await postSigned(server, body);
      assert.equal(runs, 1);
      assert.equal(first.body, second.body);
      assert.deepEqual(first.reply, { type: 'message', text: 'run 1' });
    });

    it('runs an activity with another id', async () => {
      const before = runs;
      await sendMention(server, 'count');
      await sendMention(server, 'count');
      assert.equal(runs, before + 2);
    });

    it('stays on when the timestamp check is off', async () => {
      const activity = buildMessageActivity('count');
      delete activity.timestamp;
      const body = JSON.stringify(activity);
      const before = runs;
      await postSigned(server, body);
      await postSigned(server, body);
      assert.equal(runs, before + 1);
    });

    it('lets a repeat wait for the first delivery still running', async () => {
      slow.reset();
      const body = JSON.stringify(buildMessageActivity('slow wait'));
      const first = postSigned(server, body);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = postSigned(server, body);
      await new Promise((resolve) => setTimeout(resolve, 50));
      slow.open();
      const [a, b] = await Promise.all([first, second]);
      assert.deepEqual(a.reply, { type: 'message', text: 'done wait' });
      assert.equal(b.body, a.body);
      assert.deepEqual(
        slow.calls.filter((call) => call === 'wait'),
        ['wait'],
      );
    });

    it('answers a repeat "still working" when its own deadline passes first', async () => {
      slow.reset();
      const body = JSON.stringify(buildMessageActivity('slow long'));
      const first = postSigned(server, body);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await postSigned(server, body);
      assert.match(cardText(second.reply), /Still working on it/);
      slow.open();
      await first;
    });
  });

  describe('the reply budget', () => {
    let server: TestServer;
    const slow = gatedCommand();
    const unhandled = sinon.spy();

    before(async () => {
      process.on('unhandledRejection', unhandled);
      server = await startTestServer({ env: { REPLY_BUDGET_MS: '200' }, commands: [slow.command] });
    });
    after(async () => {
      process.off('unhandledRejection', unhandled);
      slow.open();
      await server.close();
    });

    it('answers "still working" from the card template when the turn overruns', async () => {
      const started = Date.now();
      const response = await sendMention(server, 'slow overrun');
      const elapsed = Date.now() - started;
      assert.equal(response.status, 200);
      assert.ok(elapsed < 2000, `answered after ${elapsed} ms`);
      const card = response.reply?.attachments?.[0];
      assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.match(cardText(card), /Still working on it/);
      const request = server.logs.find((line) => line.msg === 'webhook request');
      assert.equal(request?.reason, 'overrun');
      assert.match(cardText(card), new RegExp(String(request?.requestId)));
    });

    it('logs the overrun, the eventual duration and the dropped late send', async () => {
      const overrun = server.logs.find((line) => line.msg === 'turn overran its deadline');
      assert.ok(overrun);
      slow.open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const finished = server.logs.find((line) => line.msg === 'overrunning turn finished');
      assert.equal(finished?.requestId, overrun.requestId);
      assert.equal(typeof finished?.durationMs, 'number');
      const dropped = server.logs.find((line) =>
        String(line.msg).startsWith('send after the webhook reply was written'),
      );
      assert.equal(dropped?.requestId, overrun.requestId);
      sinon.assert.notCalled(unhandled);
    });

    it('counts the overrun in the metrics', async () => {
      const response = await fetch(`${server.url}/metrics`);
      const text = await response.text();
      assert.match(text, /^webhook_deadline_overruns_total 1$/m);
      assert.match(text, /^webhook_requests_total\{outcome="overrun"\} 1$/m);
    });
  });

  describe('allow-lists', () => {
    let server: TestServer;
    const tenant = '99999999-8888-4777-8666-555555555555';
    const user = '11111111-2222-4333-8444-555555555555';

    before(async () => {
      server = await startTestServer({
        env: { ALLOWED_TENANT_IDS: tenant.toUpperCase(), ALLOWED_USER_IDS: user.toUpperCase() },
      });
    });
    after(() => server.close());

    it('answers a listed user', async () => {
      const response = await sendMention(server, 'echo hi');
      assert.deepEqual(response.reply, { type: 'message', text: 'hi' });
    });

    it('refuses another user politely with 200 and logs the id', async () => {
      const response = await sendMention(server, 'echo hi', {
        activity: { senderAadObjectId: '00000000-0000-4000-8000-000000000000' },
      });
      assert.equal(response.status, 200);
      assert.match(response.reply?.text ?? '', /not available to you/);
      const refusal = server.logs.find((line) => line.msg === 'user refused by the allow-lists');
      assert.equal(refusal?.userId, '00000000-0000-4000-8000-000000000000');
    });

    it('refuses another tenant', async () => {
      const response = await sendMention(server, 'echo hi', { activity: { tenantId: 'other' } });
      assert.match(response.reply?.text ?? '', /not available to you/);
    });

    it('fails closed for an activity without the ids', async () => {
      const body = JSON.stringify({ type: 'message', text: 'echo hi', timestamp: new Date() });
      const response = await postSigned(server, body);
      assert.match(response.reply?.text ?? '', /not available to you/);
    });
  });

  describe('operations endpoints', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    it('answers /healthz', async () => {
      const response = await fetch(`${server.url}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    });

    it('answers /readyz with its checks', async () => {
      const response = await fetch(`${server.url}/readyz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        status: 'ready',
        checks: { keys: true, templates: true },
      });
    });

    it('answers /readyz with 503 when a required template is missing', async () => {
      const cardsDir = mkdtempSync(join(tmpdir(), 'cards-'));
      cpSync(join(__dirname, '..', '..', '..', 'cards'), cardsDir, { recursive: true });
      rmSync(join(cardsDir, 'error.json'));
      rmSync(join(cardsDir, 'error.data.json'));
      const partial = await startTestServer({ env: { CARDS_DIR: cardsDir } });
      try {
        const response = await fetch(`${partial.url}/readyz`);
        assert.equal(response.status, 503);
        assert.deepEqual(await response.json(), {
          status: 'not ready',
          checks: { keys: true, templates: false },
        });
      } finally {
        await partial.close();
        rmSync(cardsDir, { recursive: true, force: true });
      }
    });

    it('answers /readyz with 503 when no keys are loaded', async () => {
      server.app.keyRing.replace([]);
      const response = await fetch(`${server.url}/readyz`);
      assert.equal(response.status, 503);
    });

    it('serves the metrics in Prometheus text format', async () => {
      await postSigned(server, '{"type":"message"}', { headers: { Authorization: 'HMAC x' } });
      const response = await fetch(`${server.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /^webhook_signature_failures_total\{reason="webhook_unknown"\} 1$/m);
      assert.match(text, /^# TYPE webhook_turn_duration_seconds histogram$/m);
      assert.match(text, /^process_resident_memory_bytes \d+/m);
    });
  });

  describe('slow clients', function () {
    this.timeout(15_000);
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    it('logs a client that hangs up mid-body as a warning', async () => {
      const port = Number(new URL(server.url).port);
      const socket = connect(port, '127.0.0.1');
      socket.write(
        'POST /api/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"type":',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      for (
        let i = 0;
        i < 50 && !server.logs.some((line) => line.reason === 'client_aborted');
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const line = server.logs.find((entry) => entry.reason === 'client_aborted');
      assert.equal(line?.level, 40);
      assert.equal(line?.status, 499);
      assert.ok(!server.logs.some((entry) => entry.msg === 'webhook request failed'));
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^webhook_requests_total\{outcome="client_aborted"\} 1$/m);
      assert.doesNotMatch(metrics, /internal_error/);
    });

    it('closes a connection whose headers trickle in', async () => {
      const port = Number(new URL(server.url).port);
      const socket = connect(port, '127.0.0.1');
      const started = Date.now();
      const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 500);
      socket.write('POST /api/webhook HTTP/1.1\r\nHost: x\r\n');
      const response = await new Promise<string>((resolve) => {
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      clearInterval(trickle);
      const elapsed = Date.now() - started;
      assert.match(response, /^HTTP\/1\.1 408/);
      assert.ok(elapsed < 8_000, `closed after ${elapsed} ms`);
    });
  });
});

describe('logger redaction', () => {
  it('hides the Authorization header and tokens even at trace level', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('trace', sink);
    logger.trace({ headers: { authorization: 'HMAC c2VjcmV0' } }, 'headers');
    logger.trace({ req: { headers: { authorization: 'HMAC c2VjcmV0' } } }, 'request');
    logger.trace({ token: 'c2VjcmV0', webhook: { secret: 'c2VjcmV0', key: 'c2VjcmV0' } }, 'keys');
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.doesNotMatch(line, /c2VjcmV0/);
      assert.match(line, /\[redacted\]/);
    }
  });
});
