import assert from 'node:assert/strict';
import type { Command } from '../../src/bot/command';
import {
  buildMessageActivity,
  buildThreadReply,
  toRequestBody,
} from '../../src/testing/activities';
import { createToken } from '../../src/testing/signing';
import { startTestServer, type TestServer } from '../../src/testing/test-server';
import { postSigned, sendMention } from '../../src/testing/webhook-client';

const slowCommand: Command = {
  name: 'slow',
  usage: 'slow',
  description: 'Replies after 300 ms.',
  async handle({ context }) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await context.sendActivity('done');
  },
};

const senderCommand: Command = {
  name: 'sender',
  usage: 'sender',
  description: 'Replies with the sender name.',
  async handle({ context }) {
    await context.sendActivity(`from ${context.activity.from.name}`);
  },
};

describe('startTestServer and sendMention', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    server.app.bot.router.register(slowCommand);
    server.app.bot.router.register(senderCommand);
  });

  after(() => server.close());

  it('listens on 127.0.0.1 and an ephemeral port', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.url, 'http://127.0.0.1:0');
  });

  it('returns the parsed reply', async () => {
    const response = await sendMention(server, 'echo hello there');

    assert.equal(response.status, 200);
    assert.deepEqual(response.reply, { type: 'message', text: 'hello there' });
    assert.equal(response.body, '{"type":"message","text":"hello there"}');
    assert.ok(response.durationMs > 0);
  });

  it('captures the server log', async () => {
    const before = server.logs.length;
    await sendMention(server, 'echo logged');
    const lines = server.logs.slice(before);

    assert.ok(lines.some((line) => line.msg === 'webhook request' && line.status === 200));
  });

  it('passes activity options through', async () => {
    const response = await sendMention(server, 'sender', {
      activity: { senderName: 'Kim Tester' },
    });

    assert.equal(response.reply?.text, 'from Kim Tester');
  });

  it('sends a thread reply the server accepts', async () => {
    const body = toRequestBody(buildThreadReply('echo in thread', '1715678493123'));
    const response = await postSigned(server, body);

    assert.equal(response.status, 200);
    assert.equal(response.reply?.text, 'in thread');
  });

  it('signs escaped non-ASCII bodies byte for byte', async () => {
    const activity = buildMessageActivity('echo Grüße 👋 日本語');
    const response = await postSigned(server, toRequestBody(activity, { escapeNonAscii: true }));

    assert.equal(response.status, 200);
    assert.equal(response.reply?.text, 'Grüße 👋 日本語');
  });

  it('gets 401 for another token', async () => {
    const response = await sendMention(server, 'echo hello', { token: createToken() });

    assert.equal(response.status, 401);
    assert.equal(response.body, '');
    assert.equal(response.reply, undefined);
  });

  it('sends a given Authorization header unchanged', async () => {
    const response = await sendMention(server, 'echo hello', {
      headers: { Authorization: 'Bearer abc' },
    });

    assert.equal(response.status, 401);
  });

  it('aborts after timeoutMs', async () => {
    await assert.rejects(sendMention(server, 'slow', { timeoutMs: 50 }), {
      name: 'TimeoutError',
    });
  });
});

describe('startTestServer settings', () => {
  it('serves several webhooks from env', async () => {
    const contoso = createToken();
    const server = await startTestServer({ env: { TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}` } });
    try {
      const byPath = await sendMention(server, 'echo a', {
        path: '/api/webhook/contoso',
        token: contoso,
      });
      const wrongWebhook = await sendMention(server, 'echo a', { path: '/api/webhook/contoso' });

      assert.equal(byPath.status, 200);
      assert.equal(wrongWebhook.status, 401);
    } finally {
      await server.close();
    }
  });

  it('uses a given TEAMS_WEBHOOK_SECRET as its token', async () => {
    const token = createToken();
    const server = await startTestServer({ env: { TEAMS_WEBHOOK_SECRET: token } });
    try {
      assert.equal(server.token, token);
      assert.equal((await sendMention(server, 'echo a')).status, 200);
    } finally {
      await server.close();
    }
  });
});
