import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder-core';
import type { Activity } from 'botframework-schema';
import sinon from 'sinon';
import {
  EMPTY_TURN_TEXT,
  OutgoingWebhookAdapter,
  type BotLogic,
} from '../../src/adapter/webhook-adapter';
import type { Logger } from '../../src/logger';

const info = { requestId: 'req-1', webhookId: 'default' };

function stubLogger() {
  return {
    error: sinon.stub(),
    warn: sinon.stub(),
    info: sinon.stub(),
    debug: sinon.stub(),
  };
}

function message(text = 'hi'): Activity {
  return { type: 'message', text, from: { id: 'u', name: 'U' } } as Activity;
}

describe('OutgoingWebhookAdapter', () => {
  let logger: ReturnType<typeof stubLogger>;
  let adapter: OutgoingWebhookAdapter;

  beforeEach(() => {
    logger = stubLogger();
    adapter = new OutgoingWebhookAdapter({
      logger: logger as unknown as Logger,
      limits: { maxReplyBytes: 28_000, maxCardVersion: '1.4' },
    });
  });

  afterEach(() => sinon.restore());

  it('runs middleware around the bot logic', async () => {
    const order: string[] = [];
    adapter.use(async (_context, next) => {
      order.push('before');
      await next();
      order.push('after');
    });
    await adapter.processActivity(message(), info, async () => {
      order.push('bot');
    });
    assert.deepEqual(order, ['before', 'bot', 'after']);
  });

  it('merges texts, attachments and entities in order', async () => {
    const logic: BotLogic = async (context) => {
      await context.sendActivity({ type: 'typing' });
      await context.sendActivity({
        text: 'one <at>A</at>',
        entities: [{ type: 'mention', text: '<at>A</at>' }],
      });
      await context.sendActivity({
        attachments: [{ contentType: 'a', content: {} }],
        attachmentLayout: 'carousel',
      });
      await context.sendActivity({ text: 'two', attachments: [{ contentType: 'b' }] });
    };
    const result = await adapter.processActivity(message(), info, logic);
    assert.deepEqual(result, {
      outcome: 'replied',
      reply: {
        type: 'message',
        text: 'one <at>A</at>\n\ntwo',
        attachments: [{ contentType: 'a', content: {} }, { contentType: 'b' }],
        entities: [{ type: 'mention', text: '<at>A</at>' }],
        attachmentLayout: 'carousel',
      },
    });
  });

  it('returns resource ids for sends', async () => {
    let ids: string[] = [];
    await adapter.processActivity(message(), info, async (context) => {
      const responses = await context.sendActivities([{ text: 'a' }, { text: 'b' }]);
      ids = responses.map((response) => response.id);
    });
    assert.deepEqual(ids, ['req-1-1', 'req-1-2']);
  });

  it('replies with a short message when the turn sends nothing', async () => {
    const result = await adapter.processActivity(message(), info, async () => {});
    assert.deepEqual(result, {
      outcome: 'empty',
      reply: { type: 'message', text: EMPTY_TURN_TEXT },
    });
  });

  it('treats whitespace-only text as nothing sent', async () => {
    const result = await adapter.processActivity(message(), info, async (context) => {
      await context.sendActivity('  \n ');
    });
    assert.equal(result.outcome, 'empty');
  });

  it('answers a throwing turn with an apology and logs the error', async () => {
    const error = new Error('boom');
    const result = await adapter.processActivity(message(), info, async (context) => {
      await context.sendActivity('partial');
      throw error;
    });
    assert.equal(
      result.reply.text,
      'partial\n\nSorry, something went wrong while handling that. Reference: req-1',
    );
    assert.equal(result.outcome, 'failed');
    sinon.assert.calledWithMatch(logger.error, { err: error, requestId: 'req-1' }, 'turn failed');
  });

  it('answers with an apology when onTurnError itself throws', async () => {
    adapter.onTurnError = async () => {
      throw new Error('handler broke');
    };
    const result = await adapter.processActivity(message(), info, async () => {
      throw new Error('boom');
    });
    assert.equal(result.outcome, 'failed');
    assert.match(result.reply.text ?? '', /Reference: req-1$/);
    sinon.assert.calledWithMatch(logger.error, { requestId: 'req-1' }, 'onTurnError failed');
  });

  it('uses a custom onTurnError', async () => {
    adapter.onTurnError = async (context) => {
      await context.sendActivity('custom apology');
    };
    const result = await adapter.processActivity(message(), info, async () => {
      throw new Error('boom');
    });
    assert.equal(result.reply.text, 'custom apology');
    assert.equal(result.outcome, 'failed');
  });

  it('logs and drops a send after the reply was built', async () => {
    let saved: TurnContext | undefined;
    await adapter.processActivity(message(), info, async (context) => {
      saved = new TurnContext(adapter, context.activity);
      for (const [key, value] of context.turnState) {
        saved.turnState.set(key, value);
      }
    });
    assert.ok(saved);
    const responses = await adapter.sendActivities(saved, [{ text: 'late' }]);
    assert.deepEqual(responses, [{ id: '' }]);
    sinon.assert.calledWithMatch(logger.warn, { requestId: 'req-1', activities: 1 });
  });

  describe('operations an outgoing webhook cannot do', () => {
    const hint = /not supported\. An outgoing webhook can only answer .* CloudAdapter/;

    it('rejects updateActivity', async () => {
      await adapter.processActivity(message(), info, async (context) => {
        await assert.rejects(context.updateActivity({ id: '1', text: 'x' }), hint);
      });
    });

    it('rejects deleteActivity', async () => {
      await adapter.processActivity(message(), info, async (context) => {
        await assert.rejects(context.deleteActivity('1'), hint);
      });
    });

    it('rejects continueConversation', async () => {
      await assert.rejects(
        adapter.continueConversation({}, async () => {}),
        hint,
      );
    });

    it('rejects continueConversationAsync', async () => {
      await assert.rejects(
        adapter.continueConversationAsync('app', {}, async () => {}),
        hint,
      );
    });
  });
});
