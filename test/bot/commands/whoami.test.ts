import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Mention } from 'botframework-schema';
import { buildMessageActivity, toRequestBody } from '../../../src/testing/activities';
import { startTestServer, type TestServer } from '../../../src/testing/test-server';
import { postSigned, sendMention } from '../../../src/testing/webhook-client';

describe('whoami command', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(() => server.close());

  it('replies with the sender and channel ids', async () => {
    const activity = buildMessageActivity('whoami', {
      teamId: '19:team@thread.tacv2',
      channelId: '19:channel@thread.tacv2',
      tenantId: 'tenant-1',
      senderAadObjectId: 'aad-1',
    });
    const userId = (activity.from as { id: string }).id;
    const response = await postSigned(server, toRequestBody(activity));

    assert.equal(response.status, 200);
    assert.equal(
      response.reply?.text,
      [
        'Hi <at>Sam Rivera</at>, this is what Teams sent with your message:',
        `**User id:** \`${userId}\``,
        '**AAD object id:** `aad-1`',
        '**Team id:** `19:team@thread.tacv2`',
        '**Channel id:** `19:channel@thread.tacv2`',
        '**Tenant id:** `tenant-1`',
      ].join('\n\n'),
    );
  });

  it('mentions the sender', async () => {
    const activity = buildMessageActivity('whoami');
    const from = activity.from as { id: string; name: string };
    const response = await postSigned(server, toRequestBody(activity));

    assert.deepEqual(response.reply?.entities, [
      { type: 'mention', text: '<at>Sam Rivera</at>', mentioned: { id: from.id, name: from.name } },
    ]);
  });

  it('escapes the name in the mention', async () => {
    const response = await sendMention(server, 'whoami', {
      activity: { senderName: 'Zoë "Z" <Müller> & Co' },
    });
    const [mention] = response.reply?.entities as Mention[];

    assert.equal(mention.text, '<at>Zoë &quot;Z&quot; &lt;Müller&gt; &amp; Co</at>');
    assert.equal(mention.mentioned.name, 'Zoë "Z" <Müller> & Co');
    assert.ok(response.reply?.text?.startsWith(`Hi ${mention.text}, `));
  });

  it('reads the ids of older payloads', async () => {
    const fixture = resolve('test/fixtures/payloads/classic-2017-with-mention-entities.json');
    const activity = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
    activity.text = '<at>MyCustomBot</at> whoami';
    activity.timestamp = new Date().toISOString();
    const response = await postSigned(server, JSON.stringify(activity));
    const text = response.reply?.text ?? '';

    assert.equal(response.status, 200);
    assert.ok(text.includes('**Team id:** `19:712c61d0ef384e5fa681ba90ca943398@thread.skype`'));
    assert.ok(text.includes('**Channel id:** `19:253b1f341670408fb6fe51050b6e5ceb@thread.skype`'));
    assert.ok(text.includes('**AAD object id:** _not sent_'));
    assert.ok(text.includes('**Tenant id:** _not sent_'));
  });

  it('takes the tenant from the conversation', async () => {
    const activity = buildMessageActivity('whoami', { tenantId: 'tenant-2' });
    delete (activity.channelData as { tenant?: unknown }).tenant;
    const response = await postSigned(server, toRequestBody(activity));

    assert.ok(response.reply?.text?.includes('**Tenant id:** `tenant-2`'));
  });

  it('replies without a mention when the sender is missing', async () => {
    const body = JSON.stringify({
      type: 'message',
      id: String(Date.now()),
      timestamp: new Date().toISOString(),
      text: '<at>Bot</at> whoami',
    });
    const response = await postSigned(server, body);

    assert.equal(response.status, 200);
    assert.match(response.reply?.text ?? '', /^Hi, this is what Teams sent with your message:/);
    assert.ok(response.reply?.text?.includes('**User id:** _not sent_'));
    assert.ok(response.reply?.text?.includes('**Team id:** _not sent_'));
    assert.equal(response.reply?.entities, undefined);
  });

  it('is listed in help', async () => {
    const response = await sendMention(server, 'help');
    const card = JSON.stringify(response.reply?.attachments);

    assert.ok(card.includes('"title":"whoami"'), card);
  });
});
