import assert from 'node:assert/strict';
import type { Activity } from 'botframework-schema';
import { mergeReplies } from '../../src/adapter/merge-replies';
import { EMPTY_TURN_TEXT } from '../../src/adapter/webhook-adapter';
import { UNKNOWN_COMMAND_TEXT } from '../../src/bot/command-router';
import {
  sendMention,
  startTestServer,
  type ActivityOptions,
  type TestServer,
} from '../../src/testing';
import {
  BLOCKED_TEXT,
  BLOCKED_USER,
  REGISTERED_ENV,
  TEST_COMMANDS,
  authenticationSwitchedOff,
  blockListMiddleware,
  sendToRegisteredBot,
  visibleParts,
} from './helpers';

/**
 * How the registered bot's replies relate to the one message the webhook returns:
 * - `same`: one reply on each path, equal in everything Teams shows;
 * - `merged`: several replies, which the webhook merges into one message (an outgoing webhook
 *   can answer only once, in the HTTP response);
 * - `webhook-fallback`: no reply at all, where the webhook still has to answer something
 *   because Teams shows an error for an empty response.
 */
type Relation = 'same' | 'merged' | 'webhook-fallback';

interface Scenario {
  name: string;
  typed: string;
  activity?: ActivityOptions;
  relation: Relation;
  registeredReplies: number;
  /** Checks the webhook's message, so two equally wrong replies cannot pass. */
  check(reply: Partial<Activity>): void;
}

/** Reads the request id on the apology card both adapters send for a failed turn. */
function apologyReference(reply: Partial<Activity> | undefined): string | undefined {
  const card = JSON.stringify(reply?.attachments?.[0]?.content ?? {});
  if (!card.includes('Sorry, something went wrong')) {
    return undefined;
  }
  return /Reference: ([^"\s]+)/.exec(card)?.[1];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'help',
    typed: 'help',
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      const card = reply.attachments?.[0];
      assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.match(JSON.stringify(card?.content), /"title":"echo <text>"/);
    },
  },
  {
    name: 'echo with HTML and mentions',
    typed: 'echo <at>Alex Kim</at> said "5 > 3" & <b>bold</b>',
    activity: { mentions: [{ id: '29:alex', name: 'Alex Kim' }] },
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      // echo escapes the brackets again, so typed markup shows as text on both paths.
      assert.equal(reply.text, 'Alex Kim said "5 &gt; 3" & &lt;b&gt;bold&lt;/b&gt;');
    },
  },
  {
    name: 'card reply',
    typed: 'report',
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      assert.equal(reply.text, 'Here is the report.');
      assert.equal(reply.attachments?.[0].contentType, 'application/vnd.microsoft.card.hero');
    },
  },
  {
    name: 'unknown command',
    typed: 'dance',
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      assert.equal(reply.text, UNKNOWN_COMMAND_TEXT);
    },
  },
  {
    name: 'handler error',
    typed: 'fail',
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      assert.ok(apologyReference(reply), 'the reply is the apology card with a reference');
    },
  },
  {
    name: 'blocked by middleware',
    typed: 'help',
    activity: { senderAadObjectId: BLOCKED_USER },
    relation: 'same',
    registeredReplies: 1,
    check(reply) {
      assert.equal(reply.text, BLOCKED_TEXT);
    },
  },
  {
    name: 'multi-send turn',
    typed: 'steps',
    relation: 'merged',
    registeredReplies: 3,
    check(reply) {
      assert.equal(reply.text, 'Step one\n\nStep three');
      assert.equal(reply.attachments?.length, 1);
    },
  },
  {
    name: 'turn without a reply',
    typed: 'quiet',
    relation: 'webhook-fallback',
    registeredReplies: 0,
    check(reply) {
      assert.equal(reply.text, EMPTY_TURN_TEXT);
    },
  },
];

const RELATION_TITLES: Record<Relation, string> = {
  same: 'same reply on both paths',
  merged: 'webhook merges the replies into one',
  'webhook-fallback': 'only the webhook answers',
};

/** Replaces the request id in an apology, which differs per request by design. */
/** Replaces the request id, which differs per request, wherever the reply shows it. */
function withoutRequestId(parts: Partial<Activity>): Partial<Activity> {
  const json = JSON.stringify(parts).replace(/Reference: [^"\s]+/g, 'Reference: <request id>');
  return JSON.parse(json) as Partial<Activity>;
}

describe('registered bot parity with the webhook', () => {
  let server: TestServer;
  let middleware: ReturnType<typeof blockListMiddleware>;

  before(async () => {
    middleware = blockListMiddleware();
    server = await startTestServer({
      env: REGISTERED_ENV,
      commands: TEST_COMMANDS,
      middleware: [middleware],
      botFrameworkAuthentication: authenticationSwitchedOff(),
    });
  });

  after(() => server.close());

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${RELATION_TITLES[scenario.relation]}`, async () => {
      const webhook = await sendMention(server, scenario.typed, { activity: scenario.activity });
      const registered = await sendToRegisteredBot(server, scenario.typed, scenario.activity);

      assert.equal(webhook.status, 200);
      assert.equal(registered.status, 200);
      assert.ok(webhook.reply, 'the webhook returned no JSON reply');
      assert.ok(registered.activities, 'the registered bot returned no expectReplies body');
      const webhookReply = visibleParts(webhook.reply);
      scenario.check(webhookReply);
      assert.equal(registered.activities.length, scenario.registeredReplies);

      if (scenario.relation === 'same') {
        const registeredReply = visibleParts(registered.activities[0]);
        assert.deepEqual(withoutRequestId(registeredReply), withoutRequestId(webhookReply));
      } else if (scenario.relation === 'merged') {
        const merged = mergeReplies(registered.activities);
        assert.ok(merged, 'the registered replies merge into nothing');
        assert.deepEqual(visibleParts(merged), webhookReply);
      } else {
        assert.deepEqual(registered.activities, []);
      }
    });
  }

  it('middleware runs under both adapters', async () => {
    middleware.adapters.length = 0;

    await sendMention(server, 'help');
    await sendToRegisteredBot(server, 'help');

    assert.deepEqual(middleware.adapters, ['OutgoingWebhookAdapter', 'RegisteredBotAdapter']);
  });

  it('apology references the logged error on both paths', async () => {
    const webhook = await sendMention(server, 'fail');
    const registered = await sendToRegisteredBot(server, 'fail');

    const references = [webhook.reply, registered.activities?.[0]].map(apologyReference);
    for (const reference of references) {
      assert.ok(reference, 'the apology carries no reference');
      const logged = server.logs.find(
        (line) => line.msg === 'turn failed' && line.requestId === reference,
      );
      assert.ok(logged, `no "turn failed" log line has requestId ${reference}`);
      assert.equal(logged.level, 50);
      assert.equal((logged.err as { message?: string }).message, 'simulated handler failure');
    }
    assert.notEqual(references[0], references[1]);
  });
});
