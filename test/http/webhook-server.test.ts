import assert from 'node:assert/strict';
import { request } from 'node:http';
import { EMPTY_TURN_TEXT } from '../../src/adapter/webhook-adapter';
import { UNKNOWN_COMMAND_TEXT } from '../../src/bot/command-router';
import type { Command } from '../../src/bot/command';
import { authorizationFor, postSigned, startTestServer, type TestServer } from '../../src/testing';
import { loadPayloads, loadVectors, vectorBody } from '../helpers/fixtures';

const vectors = loadVectors();

const failingCommand: Command = {
  name: 'fail',
  usage: 'fail',
  description: 'Throws.',
  async handle() {
    throw new Error('database is down');
  },
};

const silentCommand: Command = {
  name: 'silent',
  usage: 'silent',
  description: 'Sends nothing.',
  async handle() {},
};

const chattyCommand: Command = {
  name: 'chatty',
  usage: 'chatty',
  description: 'Sends several activities.',
  async handle({ context, cards }) {
    await context.sendActivity({ type: 'typing' });
    await context.sendActivity('first');
    await context.sendActivities([
      { type: 'message', text: 'second' },
      { type: 'trace', name: 'debug', value: 1 },
      { type: 'delay', value: 10 },
      { type: 'message', attachments: [cards.render('help', { commands: [] })] },
    ]);
    await context.sendActivity('third');
  },
};

describe('webhook server', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      env: {
        TEAMS_WEBHOOK_SECRET: vectors.keys.alpha,
        TEAMS_WEBHOOK_SECRETS: `alpha:${vectors.keys.alpha},beta:${vectors.keys.beta}`,
        // The captured payloads and vectors carry fixed, old timestamps.
        REPLAY_WINDOW_SECONDS: '0',
      },
      commands: [failingCommand, silentCommand, chattyCommand],
    });
  });

  after(() => server.close());

  beforeEach(() => {
    server.logs.length = 0;
  });

  async function rawPost(path: string, body: string | Buffer, headers: Record<string, string>) {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  function signedHeaders(body: string | Buffer, token = server.token): Record<string, string> {
    return { 'Content-Type': 'application/json', Authorization: authorizationFor(body, token) };
  }

  describe('known-answer vectors on /api/webhook/<keyId>', () => {
    for (const vector of vectors.cases) {
      it(`${vector.name} is ${vector.expectStatus}`, async () => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (vector.authorization !== null) {
          headers.Authorization = vector.authorization;
        }
        const response = await rawPost(`/api/webhook/${vector.keyId}`, vectorBody(vector), headers);
        assert.equal(response.status, vector.expectStatus);
        if (vector.expectStatus !== 200) {
          assert.equal(response.body, '');
        }
      });
    }
  });

  describe('captured Teams payloads', () => {
    for (const { file, body } of loadPayloads()) {
      it(`answers ${file} with the pointer to help`, async () => {
        const response = await postSigned(server, body);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.deepEqual(JSON.parse(response.body), {
          type: 'message',
          text: UNKNOWN_COMMAND_TEXT,
        });
      });
    }

    const echoes: [string, string, string][] = [
      [
        'channel-2019-null-recipient-emoji.json',
        'echo testing go go go <at><img alt="🍺" src="https://x/beer.png"></at>&nbsp;&nbsp;\n',
        'testing go go go 🍺',
      ],
      [
        'channel-2024-html-text-no-recipient.json',
        '<p><at>HelperBot</at>&nbsp;echo prod-eu &amp; &quot;quotes&quot; &#x1F680;</p>',
        'prod-eu & "quotes" 🚀',
      ],
      [
        'classic-2017-with-mention-entities.json',
        '<at>MyCustomBot</at> echo Hello <at>Lee Sample</at>',
        'Hello Lee Sample',
      ],
      [
        'thread-reply-2024-with-user-mention.json',
        '<p><at>HelperBot</at>&nbsp;echo assign <at>Kim Tester</at> to INC-42</p>',
        'assign Kim Tester to INC-42',
      ],
    ];
    for (const [file, text, expected] of echoes) {
      it(`echoes the cleaned text in the shape of ${file}`, async () => {
        const payload = loadPayloads().find((item) => item.file === file);
        assert.ok(payload);
        const activity = JSON.parse(payload.body.toString('utf8')) as Record<string, unknown>;
        activity.text = file.startsWith('channel-2019') ? `<at>HelperBot</at>&nbsp;${text}` : text;
        // A new id, so the server does not treat it as a repeat of the captured message.
        activity.id = `echo-${file}`;
        const response = await postSigned(server, JSON.stringify(activity));
        assert.equal(response.status, 200);
        assert.deepEqual(response.reply, { type: 'message', text: expected });
      });
    }
  });

  it('echoes typed markup as text, not as live HTML', async () => {
    const typed =
      '<p><at>Bot</at>&nbsp;echo &lt;a href=&quot;https://x.example&quot;&gt;login&lt;/a&gt; &amp; more</p>';
    const response = await postSigned(server, JSON.stringify({ type: 'message', text: typed }));
    assert.deepEqual(response.reply, {
      type: 'message',
      text: '&lt;a href="https://x.example"&gt;login&lt;/a&gt; & more',
    });
  });

  describe('webhook selection', () => {
    const body = '{"type":"message","text":"<at>Bot</at> echo hi"}';

    it('picks the webhook from the path', async () => {
      const response = await postSigned(server, body, {
        path: '/api/webhook/beta',
        token: vectors.keys.beta,
      });
      assert.equal(response.status, 200);
      assert.equal(server.logs.at(-1)?.webhookId, 'beta');
    });

    it('picks the webhook from ?id=', async () => {
      const response = await postSigned(server, body, {
        path: '/api/webhook?id=beta',
        token: vectors.keys.beta,
      });
      assert.equal(response.status, 200);
      assert.equal(server.logs.at(-1)?.webhookId, 'beta');
    });

    it('rejects a key of another webhook named in the path', async () => {
      const response = await postSigned(server, body, {
        path: '/api/webhook/alpha',
        token: vectors.keys.beta,
      });
      assert.equal(response.status, 401);
      assert.equal(server.logs.at(-1)?.reason, 'signature_mismatch');
    });

    it('rejects an unknown id with 401', async () => {
      for (const path of ['/api/webhook/nobody', '/api/webhook?id=nobody']) {
        const response = await postSigned(server, body, { path });
        assert.equal(response.status, 401, path);
        assert.equal(response.body, '');
        assert.equal(server.logs.at(-1)?.reason, 'webhook_unknown');
      }
    });

    it('tries every key when no id is given', async () => {
      const response = await postSigned(server, body, { token: vectors.keys.beta });
      assert.equal(response.status, 200);
      assert.equal(server.logs.at(-1)?.webhookId, 'beta');
    });

    it('accepts the default webhook from TEAMS_WEBHOOK_SECRET', async () => {
      const response = await postSigned(server, body, { path: '/api/webhook/default' });
      assert.equal(response.status, 200);
    });
  });

  describe('rejections and their order', () => {
    const valid = '{"type":"message","text":"hi"}';

    it('answers an oversized body with 413 before checking the signature', async () => {
      const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
      const response = await rawPost('/api/webhook', big, { 'Content-Type': 'text/plain' });
      assert.equal(response.status, 413);
      assert.equal(response.body, '');
      assert.equal(server.logs.at(-1)?.reason, 'body_too_large');
    });

    it('answers an oversized chunked body with 413', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/api/webhook`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 40; i++) {
          req.write('x'.repeat(8 * 1024));
        }
        req.end();
      });
      assert.equal(status, 413);
    });

    it('checks the signature before the content type', async () => {
      const response = await rawPost('/api/webhook', valid, {
        'Content-Type': 'text/plain',
        Authorization: authorizationFor(valid, vectors.keys.beta).replace(/^HMAC ./, 'HMAC A'),
      });
      assert.equal(response.status, 401);
    });

    it('checks the content type before parsing', async () => {
      const body = 'not json';
      const response = await rawPost('/api/webhook', body, {
        ...signedHeaders(body),
        'Content-Type': 'text/plain',
      });
      assert.equal(response.status, 415);
      assert.equal(response.body, '');
    });

    it('rejects a missing content type with 415', async () => {
      const response = await fetch(`${server.url}/api/webhook`, {
        method: 'POST',
        headers: { Authorization: authorizationFor(Buffer.from(valid), server.token) },
        body: Buffer.from(valid),
      });
      assert.equal(response.status, 415);
    });

    it('accepts JSON content types with parameters in any case', async () => {
      for (const contentType of ['application/json', 'Application/JSON; charset=UTF-8']) {
        const response = await rawPost('/api/webhook', valid, {
          ...signedHeaders(valid),
          'Content-Type': contentType,
        });
        assert.equal(response.status, 200, contentType);
      }
    });

    const badBodies: [string, string | Buffer, string][] = [
      ['invalid JSON', '{"type":', 'body_not_json'],
      ['empty body', '', 'body_not_json'],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'body_not_utf8'],
      ['a JSON array', '[{"type":"message"}]', 'activity_invalid'],
      ['a JSON string', '"message"', 'activity_invalid'],
      ['null', 'null', 'activity_invalid'],
      ['no type', '{"text":"hi"}', 'activity_invalid'],
      ['numeric type', '{"type":1}', 'activity_invalid'],
      ['empty type', '{"type":""}', 'activity_invalid'],
    ];
    for (const [name, body, reason] of badBodies) {
      it(`rejects ${name} with 400`, async () => {
        const response = await rawPost('/api/webhook', body, signedHeaders(body));
        assert.equal(response.status, 400);
        assert.equal(response.body, '');
        assert.equal(server.logs.at(-1)?.reason, reason);
      });
    }

    it('answers other methods with 405 and an empty body', async () => {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const response = await fetch(`${server.url}/api/webhook`, { method });
        assert.equal(response.status, 405, method);
        assert.equal(await response.text(), '');
        assert.equal(server.logs.at(-1)?.reason, 'method_not_allowed');
      }
    });

    it('logs at most 64 characters of an unknown webhook id', async () => {
      const id = 'x'.repeat(5000);
      const response = await postSigned(server, '{"type":"message"}', {
        path: `/api/webhook?id=${id}`,
      });
      assert.equal(response.status, 401);
      assert.equal(server.logs.at(-1)?.webhookId, `${'x'.repeat(64)}… (5000 characters)`);
    });

    it('answers other paths with 404 and an empty body', async () => {
      for (const path of ['/', '/api', '/api/webhooks', '/api/webhook/a/b']) {
        const response = await rawPost(path, valid, signedHeaders(valid));
        assert.equal(response.status, 404, path);
        assert.equal(response.body, '');
      }
    });
  });

  describe('activities', () => {
    it('answers a message with only a type', async () => {
      const response = await postSigned(server, '{"type":"message"}');
      assert.deepEqual(response.reply, { type: 'message', text: UNKNOWN_COMMAND_TEXT });
    });

    it('answers a message whose fields have the wrong types', async () => {
      const body = JSON.stringify({
        type: 'message',
        text: 42,
        from: 'someone',
        conversation: null,
        recipient: 'null',
        channelData: [],
        entities: {},
        attachments: [null, 1],
      });
      const response = await postSigned(server, body);
      assert.equal(response.status, 200);
      assert.deepEqual(response.reply, { type: 'message', text: UNKNOWN_COMMAND_TEXT });
    });

    it('answers non-message activities with one message', async () => {
      for (const type of ['conversationUpdate', 'messageReaction', 'invoke', 'event', 'custom']) {
        const response = await postSigned(server, JSON.stringify({ type, name: 'x' }));
        assert.equal(response.status, 200, type);
        assert.deepEqual(response.reply, { type: 'message', text: EMPTY_TURN_TEXT }, type);
      }
    });

    it('merges several sends into one message', async () => {
      const response = await postSigned(server, '{"type":"message","text":"chatty"}');
      assert.equal(response.reply?.type, 'message');
      assert.equal(response.reply?.text, 'first\n\nsecond\n\nthird');
      assert.equal(response.reply?.attachments?.length, 1);
      assert.equal(
        response.reply?.attachments?.[0].contentType,
        'application/vnd.microsoft.card.adaptive',
      );
    });

    it('answers a turn that sends nothing', async () => {
      const response = await postSigned(server, '{"type":"message","text":"silent"}');
      assert.deepEqual(response.reply, { type: 'message', text: EMPTY_TURN_TEXT });
    });

    it('answers a throwing handler with an apology and logs the error', async () => {
      const response = await postSigned(server, '{"type":"message","text":"fail"}');
      assert.equal(response.status, 200);
      const line = server.logs.find((entry) => entry.msg === 'turn failed');
      assert.ok(line, 'the error is logged');
      assert.match(String((line.err as { stack: string }).stack), /database is down/);
      const card = response.reply?.attachments?.[0].content as Record<string, unknown>;
      assert.equal(card.type, 'AdaptiveCard');
      assert.match(JSON.stringify(card), /Sorry, something went wrong/);
      assert.match(JSON.stringify(card), new RegExp(`Reference: ${String(line.requestId)}`));
      assert.doesNotMatch(response.body, /database is down/);
      const request = server.logs.find((entry) => entry.msg === 'webhook request');
      assert.equal(request?.reason, 'failed');
    });

    it('replies to help with the help card', async () => {
      const response = await postSigned(server, '{"type":"message","text":"<at>Bot</at> HELP"}');
      const card = response.reply?.attachments?.[0].content as Record<string, unknown>;
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(card.version, '1.4');
      assert.match(JSON.stringify(card), /echo <text>/);
      assert.match(JSON.stringify(card), /"title":"fail"/);
    });
  });

  it('handles Expect: 100-continue', async () => {
    const body = '{"type":"message","text":"echo continued"}';
    const result = await new Promise<{ continued: boolean; status: number; body: string }>(
      (resolve, reject) => {
        let continued = false;
        const req = request(`${server.url}/api/webhook`, {
          method: 'POST',
          headers: {
            ...signedHeaders(body),
            Expect: '100-continue',
            'Content-Length': String(Buffer.byteLength(body)),
          },
        });
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              continued,
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        });
        req.on('error', reject);
      },
    );
    assert.equal(result.continued, true);
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(result.body), { type: 'message', text: 'continued' });
  });

  describe('request log', () => {
    it('writes one line per request with ids, status and duration', async () => {
      await postSigned(server, '{"type":"message","text":"echo secret words"}');
      const lines = server.logs.filter((entry) => entry.msg === 'webhook request');
      assert.equal(lines.length, 1);
      const [line] = lines;
      assert.equal(typeof line.requestId, 'string');
      assert.equal(line.webhookId, 'default');
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
      assert.equal(line.level, 30);
    });

    it('never logs the token, the header or message text above debug', async () => {
      const body = '{"type":"message","text":"echo secret words"}';
      const authorization = authorizationFor(body, server.token);
      await postSigned(server, body);
      await rawPost('/api/webhook', body, {
        'Content-Type': 'application/json',
        Authorization: `${authorization}x`,
      });
      const aboveDebug = JSON.stringify(server.logs.filter((entry) => Number(entry.level) > 20));
      assert.doesNotMatch(aboveDebug, /secret words/);
      const all = JSON.stringify(server.logs);
      assert.ok(!all.includes(server.token));
      assert.ok(!all.includes(authorization.slice(5)));
    });
  });
});
