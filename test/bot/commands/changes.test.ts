import assert from 'node:assert/strict';
import {
  buildMessageActivity,
  postSigned,
  sendMention,
  startTestServer,
  type ActivityOptions,
  type TestServer,
} from '../../../src/testing';
import { createTempFolder } from '../../records/helpers';
import { actionsOf, cardOf, textOf, textsOf } from './reply-helpers';

const APP_URL = 'https://records.contoso.com/employees';
const SAM = '11111111-2222-4333-8444-555555555555';
const KIM = 'bbbbbbbb-0000-4000-8000-000000000000';
const TEAM = '19:dddddddddddddddddddddddddddddddd@thread.tacv2';
const CHANNEL = '19:cccccccccccccccccccccccccccccccc@thread.tacv2';

describe('changes command', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let server: TestServer;
  let clock: { now: number };

  const say = (typed: string, activity?: ActivityOptions) =>
    sendMention(server, typed, { activity });

  beforeEach(async () => {
    folder = createTempFolder();
    clock = { now: Date.parse('2025-03-04T13:05:00Z') };
    server = await startTestServer({
      env: { DATABASE_PATH: folder.databasePath, RECORDS_APP_URL: APP_URL },
      records: { now: () => new Date(clock.now) },
    });
  });

  afterEach(async () => {
    await server.close();
    folder.remove();
  });

  it('shows who, what, when and where for one record', async () => {
    await say('employee add Ana title=Engineer');
    clock.now += 90 * 60 * 1000;
    await say('employee set E-1001 title="Senior Engineer"', {
      senderName: 'Kim Berg',
      senderAadObjectId: KIM,
    });
    const card = cardOf(await say('changes E-1001'));
    assert.deepEqual(textsOf(card), [
      'Changes to E-1001',
      '2 of 2 changes · times in Europe/Berlin',
      `**Created** [E-1001](${APP_URL}/E-1001) Ana`,
      'When: 2025-03-04 14:05 Europe/Berlin',
      `Who: Sam Rivera (${SAM})`,
      `Where: Team ${TEAM} · channel ${CHANNEL}`,
      'Name',
      '—',
      '→',
      'Ana',
      'Title',
      '—',
      '→',
      'Engineer',
      `**Updated** [E-1001](${APP_URL}/E-1001) Ana`,
      'When: 2025-03-04 15:35 Europe/Berlin',
      `Who: Kim Berg (${KIM})`,
      `Where: Team ${TEAM} · channel ${CHANNEL}`,
      'Title',
      'Engineer',
      '→',
      'Senior Engineer',
    ]);
    assert.deepEqual(actionsOf(card), [`Action.OpenUrl ${APP_URL}/E-1001`]);
  });

  it('shows every record of the tenant without an id', async () => {
    await say('employee add Ana');
    await say('employee add Kim');
    const card = cardOf(await say('changes'));
    const texts = textsOf(card);
    assert.equal(texts[0], 'Changes to employee records');
    assert.ok(texts.includes(`**Created** [E-1002](${APP_URL}/E-1002) Kim`));
    assert.deepEqual(actionsOf(card), []);
  });

  it('shows team and channel names when Teams sends them', async () => {
    const activity = buildMessageActivity('employee add Ana');
    const channelData = activity.channelData as Record<string, Record<string, unknown>>;
    channelData.team.name = 'HR Operations';
    channelData.channel.name = 'Records';
    await postSigned(server, JSON.stringify(activity));
    const texts = textsOf(cardOf(await say('changes')));
    assert.ok(texts.includes('Where: Team HR Operations · channel Records'));
  });

  describe('time zone', () => {
    beforeEach(async () => {
      await say('employee add Ana');
    });

    it('uses the clientInfo time zone', async () => {
      const texts = textsOf(cardOf(await say('changes', { timezone: 'Asia/Kolkata' })));
      assert.equal(texts[1], '1 of 1 changes · times in Asia/Kolkata');
      assert.equal(texts[3], 'When: 2025-03-04 18:35 Asia/Kolkata');
    });

    it('falls back to localTimezone', async () => {
      const activity = buildMessageActivity('changes');
      activity.entities = [];
      activity.localTimezone = 'America/New_York';
      const texts = textsOf(cardOf(await postSigned(server, JSON.stringify(activity))));
      assert.equal(texts[3], 'When: 2025-03-04 08:05 America/New_York');
    });

    it('uses UTC without a time zone or with an unknown one', async () => {
      const activity = buildMessageActivity('changes');
      activity.entities = [];
      delete activity.localTimezone;
      const texts = textsOf(cardOf(await postSigned(server, JSON.stringify(activity))));
      assert.equal(texts[3], 'When: 2025-03-04 13:05 UTC');
      const unknown = textsOf(cardOf(await say('changes', { timezone: 'Mars/Olympus' })));
      assert.equal(unknown[3], 'When: 2025-03-04 13:05 UTC');
    });
  });

  describe('since', () => {
    it('starts at midnight of the date in the sender’s time zone', async () => {
      await say('employee add Ana');
      clock.now = Date.parse('2025-03-05T16:00:00Z');
      await say('employee set E-1001 title=Lead');

      const berlin = textsOf(cardOf(await say('changes since 2025-03-05')));
      assert.equal(berlin[1], '1 of 1 changes since 2025-03-05 · times in Europe/Berlin');
      assert.ok(berlin[2].startsWith('**Updated**'));

      // 2025-03-05 begins in Tokyo at 2025-03-04T15:00Z, after the record was created.
      const tokyo = textsOf(
        cardOf(await say('changes since 2025-03-05', { timezone: 'Asia/Tokyo' })),
      );
      assert.equal(tokyo[1], '1 of 1 changes since 2025-03-05 · times in Asia/Tokyo');
      const honolulu = textsOf(
        cardOf(await say('changes E-1001 since 2025-03-04', { timezone: 'Pacific/Honolulu' })),
      );
      assert.equal(honolulu[1], '2 of 2 changes since 2025-03-04 · times in Pacific/Honolulu');
    });

    it('accepts dates in the first years', async () => {
      await say('employee add Ana');
      const texts = textsOf(cardOf(await say('changes since 0001-01-01')));
      assert.equal(texts[1], '1 of 1 changes since 0001-01-01 · times in Europe/Berlin');
      assert.match(
        textOf(await say('changes since 0000-12-31')),
        /^"0000-12-31" is not a valid date\. Years start at 0001\. Use: changes/,
      );
    });

    it('says when nothing changed since the date', async () => {
      await say('employee add Ana');
      assert.equal(
        textOf(await say('changes E-1001 since 2025-04-01')),
        'No changes to E-1001 since 2025-04-01.',
      );
    });
  });

  describe('limits', () => {
    it('shows the latest ten changes and says how to see more', async () => {
      await say('employee add Ana');
      for (let index = 1; index <= 11; index += 1) {
        clock.now += 1000;
        await say(`employee set E-1001 title=T${index}`);
      }
      const texts = textsOf(cardOf(await say('changes E-1001')));
      assert.equal(texts[1], '10 of 12 changes · times in Europe/Berlin');
      assert.ok(
        !texts.some((text) => text.startsWith('**Created**')),
        'the oldest entries are left out',
      );
      assert.equal(
        texts.at(-1),
        'These are the latest 10. See earlier ones with changes [id] since YYYY-MM-DD.',
      );

      const fromStart = textsOf(cardOf(await say('changes E-1001 since 2025-03-01')));
      assert.ok(fromStart[2].startsWith('**Created**'));
      assert.equal(fromStart.at(-1), 'These are the first 10. Use a later date to see the rest.');
    });

    it('keeps the card under 20 000 bytes by showing fewer entries', async () => {
      const long = (letter: string) => `"${letter.repeat(200)}"`;
      for (let index = 0; index < 10; index += 1) {
        const fields = ['title', 'department', 'location', 'manager'].map(
          (field) => `${field}=${long(field[0])}`,
        );
        await say(`employee add ${long('n')} ${fields.join(' ')}`);
      }
      const response = await say('changes');
      const card = cardOf(response);
      assert.ok(Buffer.byteLength(JSON.stringify(card)) <= 20_000);
      const summary = textsOf(card)[1];
      const shown = Number(/^(\d+) of 10 changes/.exec(summary)?.[1]);
      assert.ok(shown >= 1, summary);
      assert.ok(shown < 10, summary);
      assert.ok(textsOf(card).includes(`${'t'.repeat(79)}…`), 'long values are shortened');
    });
  });

  describe('bad input', () => {
    it('names an unknown record, a bad date and a stray word', async () => {
      assert.equal(
        textOf(await say('changes E-7777')),
        'There is no employee record E-7777. Find records with employee list or employee show &lt;name&gt;.',
      );
      assert.match(
        textOf(await say('changes since 2025-13-01')),
        /^"2025-13-01" is not a valid date\. Use: changes \[id\] \[since YYYY-MM-DD\]/,
      );
      assert.match(
        textOf(await say('changes everything')),
        /^"everything" is not a record id or "since"/,
      );
    });

    it('names both ids when given two', async () => {
      await say('employee add Ana');
      await say('employee add Kim');
      assert.equal(
        textOf(await say('changes E-1001 E-1002')),
        'Give one record id, not both E-1001 and E-1002. To see the changes to every record, ' +
          'leave the id out. Use: changes [id] [since YYYY-MM-DD], for example changes E-1001 ' +
          'since 2025-01-31.',
      );
    });

    it('says when there are no changes', async () => {
      assert.equal(textOf(await say('changes')), 'No changes to employee records.');
    });
  });
});
