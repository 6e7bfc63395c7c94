import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { TurnContext } from 'botbuilder-core';
import type { Activity } from 'botframework-schema';
import { REGISTERED_TURN_KEY, type RegisteredTurnInfo } from '../../src/registered';
import {
  authorizationFor,
  buildMessageActivity,
  sendMention,
  startTestServer,
  type TestServer,
} from '../../src/testing';
import {
  REGISTERED_ENV,
  TEST_APP_ID,
  authenticationSwitchedOff,
  buildRegisteredActivity,
  postToMessages,
  sendToRegisteredBot,
} from './helpers';

/** Middleware that keeps every turn's activity, to show whether a request reached the bot. */
function recordTurns() {
  const activities: Activity[] = [];
  const middleware = {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      activities.push(context.activity);
      await next();
    },
  };
  return { activities, middleware };
}

function lastRequestLog(server: TestServer): Record<string, unknown> | undefined {
  return server.logs.filter((line) => line.msg === 'messages request').at(-1);
}

describe('POST /api/messages', () => {
  describe('without MicrosoftAppId', () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer();
    });

    after(() => server.close());

    it('does not exist', async () => {
      const response = await postToMessages(
        server,
        JSON.stringify(buildRegisteredActivity('help')),
      );

      assert.equal(response.status, 404);
      assert.equal(response.body, '');
      assert.equal(server.app.registered, undefined);
    });
  });

  describe('with botbuilder authentication', () => {
    let server: TestServer;
    const turns = recordTurns();

    before(async () => {
      server = await startTestServer({ env: REGISTERED_ENV, middleware: [turns.middleware] });
    });

    beforeEach(() => {
      turns.activities.length = 0;
    });

    after(() => server.close());

    it('rejects a request without a token', async () => {
      const response = await sendToRegisteredBot(server, 'help');

      assert.equal(response.status, 401);
      assert.equal(response.body, '');
      assert.equal(turns.activities.length, 0);
      assert.equal(lastRequestLog(server)?.reason, 'token_rejected');
    });

    it('rejects a bearer value that is no JWT', async () => {
      const body = JSON.stringify(buildRegisteredActivity('help'));

      const response = await postToMessages(server, body, { Authorization: 'Bearer not-a-jwt' });

      assert.equal(response.status, 401);
      assert.equal(response.body, '');
      assert.equal(turns.activities.length, 0);
    });

    it('rejects an HMAC signature', async () => {
      const body = JSON.stringify(buildRegisteredActivity('help'));
      const authorization = authorizationFor(body, server.token);

      const response = await postToMessages(server, body, { Authorization: authorization });

      assert.equal(response.status, 401);
      assert.equal(turns.activities.length, 0);
    });

    it('leaves the webhook route working beside it', async () => {
      const response = await sendMention(server, 'echo side by side');

      assert.equal(response.status, 200);
      assert.equal(response.reply?.text, 'side by side');
    });

    it('logs the rejection without the token', async () => {
      const body = JSON.stringify(buildRegisteredActivity('help'));

      await postToMessages(server, body, { Authorization: 'Bearer secret-looking-value' });

      const rejection = server.logs.filter((line) => line.msg === 'bot framework token rejected');
      assert.ok(rejection.length > 0, 'no rejection was logged');
      assert.doesNotMatch(JSON.stringify(server.logs), /secret-looking-value/);
    });
  });

  describe('request checks', () => {
    let server: TestServer;
    const turns = recordTurns();

    before(async () => {
      server = await startTestServer({
        env: { ...REGISTERED_ENV, MAX_BODY_BYTES: '2048' },
        middleware: [turns.middleware],
        botFrameworkAuthentication: authenticationSwitchedOff(),
      });
    });

    beforeEach(() => {
      turns.activities.length = 0;
    });

    after(() => server.close());

    const cases: { name: string; body: string | Buffer; type?: string; status: number }[] = [
      { name: 'a body over MAX_BODY_BYTES', body: 'x'.repeat(4096), status: 413 },
      { name: 'a text/plain body', body: '{"type":"message"}', type: 'text/plain', status: 415 },
      { name: 'a body that is no JSON', body: '{"type":', status: 400 },
      { name: 'bytes that are no UTF-8', body: Buffer.from([0x7b, 0xff, 0x7d]), status: 400 },
      { name: 'a JSON array', body: '[]', status: 400 },
      { name: 'an activity without type', body: '{"text":"help"}', status: 400 },
      { name: 'an empty type', body: '{"type":""}', status: 400 },
    ];
    for (const { name, body, type, status } of cases) {
      it(`answers ${status} to ${name}`, async () => {
        const headers: Record<string, string> = type === undefined ? {} : { 'Content-Type': type };

        const response = await postToMessages(server, body, headers);

        assert.equal(response.status, status);
        assert.equal(response.body, '');
        assert.equal(turns.activities.length, 0);
      });
    }

    it('answers 405 to GET', async () => {
      const response = await fetch(`${server.url}/api/messages`);

      assert.equal(response.status, 405);
      assert.equal(await response.text(), '');
    });

    it('addresses replies to the incoming conversation', async () => {
      const activity = buildRegisteredActivity('echo hi');

      const response = await postToMessages(server, JSON.stringify(activity));

      const reply = response.activities?.[0];
      assert.equal(reply?.text, 'hi');
      assert.equal(reply?.replyToId, activity.id);
      assert.deepEqual(reply?.conversation, activity.conversation);
      assert.equal(reply?.from?.id, `28:${TEST_APP_ID}`);
    });

    it('answers a personal chat without a mention', async () => {
      const activity = {
        ...buildRegisteredActivity('ignored'),
        text: 'echo no mention needed',
        conversation: { id: 'a:1personal', conversationType: 'personal' },
      };

      const response = await postToMessages(server, JSON.stringify(activity));

      assert.equal(response.activities?.[0]?.text, 'no mention needed');
    });

    it('hands handlers Date timestamps like CloudAdapter.process', async () => {
      const activity = buildRegisteredActivity('echo time');

      await postToMessages(server, JSON.stringify(activity));

      const seen = turns.activities[0];
      assert.ok(seen.timestamp instanceof Date);
      assert.equal(
        seen.timestamp.toISOString(),
        new Date(String(activity.timestamp)).toISOString(),
      );
      assert.equal((seen as { rawTimestamp?: string }).rawTimestamp, activity.timestamp);
    });

    it('answers 501 to a card action nobody handles', async () => {
      const invoke = {
        ...buildMessageActivity(''),
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'approve', data: {} } },
        recipient: { id: `28:${TEST_APP_ID}`, name: 'HelperBot' },
      };

      const response = await postToMessages(server, JSON.stringify(invoke));

      assert.equal(response.status, 501);
      assert.equal(turns.activities.length, 1);
    });

    it('logs each request with its outcome', async () => {
      await sendToRegisteredBot(server, 'help');

      const line = lastRequestLog(server);
      assert.equal(line?.status, 200);
      assert.equal(line?.activityType, 'message');
      assert.equal(line?.deliveryMode, 'expectReplies');
      assert.equal(typeof line?.requestId, 'string');
      assert.equal(typeof line?.durationMs, 'number');
    });

    it('answers 500 when the adapter fails', async () => {
      const registered = server.app.registered;
      assert.ok(registered, 'the registered bot is not configured');
      const failure = new Error('connector unavailable');
      const stub = sinon.stub(registered.adapter, 'processRequest').rejects(failure);

      try {
        const response = await sendToRegisteredBot(server, 'help');

        assert.equal(response.status, 500);
        assert.equal(response.body, '');
      } finally {
        stub.restore();
      }
      const logged = server.logs.find((line) => line.msg === 'messages request failed');
      assert.equal((logged?.err as { message?: string } | undefined)?.message, failure.message);
      assert.equal(lastRequestLog(server)?.reason, 'internal_error');
    });

    it('gives proactive turns their own id', async () => {
      const registered = server.app.registered;
      assert.ok(registered, 'the registered bot is not configured');
      const reference = {
        channelId: 'msteams',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        conversation: { id: 'a:1personal', isGroup: false, conversationType: 'personal', name: '' },
      };
      let info: RegisteredTurnInfo | undefined;

      await registered.adapter.continueConversationAsync('', reference, async (context) => {
        info = context.turnState.get(REGISTERED_TURN_KEY) as RegisteredTurnInfo;
      });

      assert.match(info?.requestId ?? '', /^proactive-[0-9a-f-]{36}$/);
    });
  });
});
