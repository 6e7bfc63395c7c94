import assert from 'node:assert/strict';
import { cleanTeamsText } from '../../src/bot/teams-text';
import {
  buildMessageActivity,
  buildThreadReply,
  escapeHtml,
  toRequestBody,
  type WireActivity,
} from '../../src/testing/activities';
import { authorizationFor, createToken } from '../../src/testing/signing';

type Json = Record<string, unknown>;

function field(activity: WireActivity, name: string): Json {
  return activity[name] as Json;
}

describe('buildMessageActivity', () => {
  const at = new Date('2024-05-14T09:21:33.123Z');

  it('wraps the text as Teams does today', () => {
    const activity = buildMessageActivity('echo hello', { timestamp: at });

    assert.equal(activity.type, 'message');
    assert.equal(activity.text, '<p><at>HelperBot</at>&nbsp;echo hello</p>');
    assert.equal(activity.textFormat, 'plain');
    assert.equal(activity.channelId, 'msteams');
    assert.equal(activity.replyToId, null);
    assert.equal('recipient' in activity, false);
  });

  it('copies the text as HTML with mention spans', () => {
    const activity = buildMessageActivity('ask <at>Kim Tester</at>', {
      timestamp: at,
      mentions: [{ name: 'Kim Tester' }],
    });
    const [attachment] = activity.attachments as Json[];

    assert.equal(attachment.contentType, 'text/html');
    assert.equal(
      attachment.content,
      '<p><span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">HelperBot' +
        '</span>&nbsp;ask <span itemtype="http://schema.skype.com/Mention" itemscope="" ' +
        'itemid="1">Kim Tester</span></p>',
    );
  });

  it('dates the activity with seven fractional digits', () => {
    const activity = buildMessageActivity('echo', { timestamp: at, timezone: 'Europe/Berlin' });

    assert.equal(activity.timestamp, '2024-05-14T09:21:33.1230000Z');
    assert.equal(activity.localTimestamp, '2024-05-14T11:21:33.1230000+02:00');
    assert.equal(Date.parse(activity.timestamp as string), at.getTime());
    assert.equal(Date.parse(activity.localTimestamp as string), at.getTime());
  });

  it('writes local time west of UTC', () => {
    const activity = buildMessageActivity('echo', { timestamp: at, timezone: 'America/Denver' });

    assert.equal(activity.localTimestamp, '2024-05-14T03:21:33.1230000-06:00');
    assert.equal(activity.localTimezone, 'America/Denver');
  });

  it('uses epoch milliseconds as a unique id', () => {
    const first = buildMessageActivity('one', { timestamp: new Date('2030-01-01T00:00:00Z') });
    const second = buildMessageActivity('two', { timestamp: new Date('2030-01-01T00:00:00Z') });

    assert.equal(first.id, String(Date.parse('2030-01-01T00:00:00Z')));
    assert.equal(second.id, String(Date.parse('2030-01-01T00:00:00Z') + 1));
  });

  it('starts a new thread by default', () => {
    const activity = buildMessageActivity('echo');
    const conversation = field(activity, 'conversation');

    assert.equal(
      conversation.id,
      `19:cccccccccccccccccccccccccccccccc@thread.tacv2;messageid=${activity.id}`,
    );
    assert.equal(conversation.conversationType, 'channel');
    assert.equal(conversation.tenantId, '99999999-8888-4777-8666-555555555555');
  });

  it('carries team, channel and tenant ids', () => {
    const activity = buildMessageActivity('echo', {
      teamId: '19:team@thread.tacv2',
      channelId: '19:channel@thread.tacv2',
      tenantId: 'tenant-1',
    });

    assert.deepEqual(activity.channelData, {
      teamsChannelId: '19:channel@thread.tacv2',
      teamsTeamId: '19:team@thread.tacv2',
      channel: { id: '19:channel@thread.tacv2' },
      team: { id: '19:team@thread.tacv2' },
      tenant: { id: 'tenant-1' },
    });
    assert.match(field(activity, 'conversation').id as string, /^19:channel@thread\.tacv2;/);
  });

  it('describes the sender', () => {
    const activity = buildMessageActivity('echo', {
      senderName: 'Kim Tester',
      senderAadObjectId: 'AAAAAAAA-0000-4000-8000-000000000000',
    });
    const from = field(activity, 'from');

    assert.equal(from.name, 'Kim Tester');
    assert.equal(from.aadObjectId, 'AAAAAAAA-0000-4000-8000-000000000000');
    assert.match(from.id as string, /^29:\S+$/);
  });

  it('keeps defaults for undefined options', () => {
    const activity = buildMessageActivity('echo', { senderName: undefined, teamId: undefined });

    assert.equal(field(activity, 'from').name, 'Sam Rivera');
    assert.equal(
      field(activity, 'channelData').teamsTeamId,
      '19:dddddddddddddddddddddddddddddddd@thread.tacv2',
    );
  });

  it('adds mention entities for other people', () => {
    const activity = buildMessageActivity('assign <at>Kim Tester</at> to <at>Lee</at>', {
      mentions: [{ name: 'Kim Tester', id: '29:kim' }, { name: 'Lee' }],
    });
    const mentions = (activity.entities as Json[]).filter((entity) => entity.type === 'mention');

    assert.equal(
      activity.text,
      '<p><at>HelperBot</at>&nbsp;assign <at>Kim Tester</at> to <at>Lee</at></p>',
    );
    assert.equal(mentions.length, 2);
    assert.deepEqual(mentions[0], {
      type: 'mention',
      text: '<at>Kim Tester</at>',
      mentioned: { id: '29:kim', name: 'Kim Tester' },
    });
    assert.equal(mentions[1].text, '<at>Lee</at>');
    assert.match((mentions[1].mentioned as Json).id as string, /^29:/);
  });

  it('mentions the webhook itself on request', () => {
    const plain = buildMessageActivity('echo');
    const withSelf = buildMessageActivity('echo', { mentionWebhook: true });
    const mentions = (withSelf.entities as Json[]).filter((entity) => entity.type === 'mention');

    assert.equal((plain.entities as Json[]).length, 1);
    assert.equal(mentions.length, 1);
    assert.equal(mentions[0].text, '<at>HelperBot</at>');
    assert.match((mentions[0].mentioned as Json).id as string, /^28:/);
  });

  it('ends entities with clientInfo', () => {
    const activity = buildMessageActivity('echo', { locale: 'de-DE', timezone: 'Europe/Berlin' });
    const entities = activity.entities as Json[];

    assert.deepEqual(entities[entities.length - 1], {
      type: 'clientInfo',
      locale: 'de-DE',
      country: 'US',
      platform: 'Web',
      timezone: 'Europe/Berlin',
    });
    assert.equal(activity.locale, 'de-DE');
  });

  it('escapes non-ASCII and HTML text reversibly', () => {
    const typed = 'echo Grüße 👋 日本語 & <b>"bold"</b>';
    const activity = buildMessageActivity(typed);

    assert.equal(
      activity.text,
      '<p><at>HelperBot</at>&nbsp;echo Grüße 👋 日本語 &amp; &lt;b&gt;&quot;bold&quot;&lt;/b&gt;</p>',
    );
    assert.equal(cleanTeamsText(activity.text), typed);
  });

  it('escapes the webhook name', () => {
    const activity = buildMessageActivity('echo', { webhookName: 'R&D <Bot>' });

    assert.match(activity.text, /^<p><at>R&amp;D &lt;Bot&gt;<\/at>&nbsp;/);
  });
});

describe('buildThreadReply', () => {
  it('points conversation.id at the thread root', () => {
    const root = buildMessageActivity('echo first');
    const reply = buildThreadReply('echo second', root.id);

    assert.equal(
      (reply.conversation as Json).id,
      `19:cccccccccccccccccccccccccccccccc@thread.tacv2;messageid=${root.id}`,
    );
    assert.notEqual(reply.id, root.id);
    assert.equal(reply.replyToId, null);
  });

  it('keeps the other options', () => {
    const reply = buildThreadReply('echo', '1715678493123', { senderName: 'Kim Tester' });

    assert.equal((reply.from as Json).name, 'Kim Tester');
  });

  it('rejects a root id that is not a message id', () => {
    assert.throws(
      () => buildThreadReply('echo', '19:abc@thread.tacv2'),
      /Invalid thread root id "19:abc@thread\.tacv2"/,
    );
  });
});

describe('toRequestBody', () => {
  const activity = buildMessageActivity('echo Grüße 👋');

  it('keeps UTF-8 text by default', () => {
    const body = toRequestBody(activity);

    assert.ok(body.includes('Grüße 👋'));
    assert.deepEqual(JSON.parse(body), activity);
  });

  it('escapes non-ASCII on request', () => {
    const body = toRequestBody(activity, { escapeNonAscii: true });

    assert.match(body, /^[\x20-\x7e]*$/);
    assert.ok(body.includes('Gr\\u00fc\\u00dfe \\ud83d\\udc4b'));
    assert.deepEqual(JSON.parse(body), activity);
  });

  it('changes the signature with the bytes', () => {
    const token = createToken();
    const plain = authorizationFor(toRequestBody(activity), token);
    const escaped = authorizationFor(toRequestBody(activity, { escapeNonAscii: true }), token);

    assert.notEqual(plain, escaped);
  });
});

describe('escapeHtml', () => {
  it('escapes the four HTML special characters', () => {
    assert.equal(escapeHtml('a & b < c > d "e"'), 'a &amp; b &lt; c &gt; d &quot;e&quot;');
  });
});
