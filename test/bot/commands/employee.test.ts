import assert from 'node:assert/strict';
import {
  buildMessageActivity,
  postSigned,
  sendMention,
  startTestServer,
  type ActivityOptions,
  type TestServer,
} from '../../../src/testing';
import { createTempFolder, linesWith } from '../../records/helpers';
import { actionsOf, cardOf, textOf, textsOf } from './reply-helpers';

const APP_URL = 'https://records.contoso.com/employees';
const OTHER_USER = 'bbbbbbbb-0000-4000-8000-000000000000';

describe('employee command', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let server: TestServer;
  let clock: { now: number };

  async function start(env: NodeJS.ProcessEnv = {}) {
    server = await startTestServer({
      env: { DATABASE_PATH: folder.databasePath, RECORDS_APP_URL: APP_URL, ...env },
      records: { now: () => new Date(clock.now) },
    });
  }

  const say = (typed: string, activity?: ActivityOptions) =>
    sendMention(server, typed, { activity });

  beforeEach(async () => {
    folder = createTempFolder();
    clock = { now: Date.now() };
    await start();
  });

  afterEach(async () => {
    await server.close();
    folder.remove();
  });

  describe('add', () => {
    it('replies with the new record card and its id', async () => {
      const card = cardOf(
        await say('employee add Ana Núñez title=Engineer email=ana@contoso.com start=2024-05-01'),
      );
      const texts = textsOf(card);
      assert.equal(texts[0], 'Added E-1001');
      assert.equal(texts[1], 'Ana Núñez');
      assert.equal(texts[2], 'E-1001');
      assert.deepEqual(texts.slice(3, 9), [
        'Title: Engineer',
        'Department: —',
        'Location: —',
        'Manager: —',
        'Email: ana@contoso.com',
        'Start date: 2024-05-01',
      ]);
      assert.deepEqual(actionsOf(card), [`Action.OpenUrl ${APP_URL}/E-1001`]);
    });

    it('reads typographic quotes and non-ASCII text', async () => {
      const card = cardOf(
        await say('employee add “Zoë Ångström-Łukasiewicz” title=‘Head of R&D’ location=東京'),
      );
      const texts = textsOf(card);
      assert.equal(texts[1], 'Zoë Ångström-Łukasiewicz');
      assert.ok(texts.includes('Title: Head of R&D'));
      assert.ok(texts.includes('Location: 東京'));
    });

    it('has no button without RECORDS_APP_URL', async () => {
      await server.close();
      await start({ RECORDS_APP_URL: '' });
      const card = cardOf(await say('employee add Ana'));
      assert.deepEqual(actionsOf(card), []);
    });

    it('names a bad field and shows the right form', async () => {
      const text = textOf(await say('employee add Ana salary=100'));
      assert.match(text, /^Unknown field "salary"\. Fields: name, title, department/);
      assert.match(text, /Example: employee add "Ana Núñez" title=Engineer/);
    });

    it('accepts a 254-character email address', async () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
      assert.equal(email.length, 254);
      const texts = textsOf(cardOf(await say(`employee add Ana email=${email}`)));
      assert.ok(texts.includes(`Email: ${email}`));
      assert.match(
        textOf(await say(`employee add Ana email=a${email}`)),
        /^The email is 255 characters long, but the maximum is 254\./,
      );
    });

    it('names the length of a long name', async () => {
      assert.equal(
        textOf(await say(`employee add ${'n'.repeat(230)}`)),
        'The name is 230 characters long, but the maximum is 200. Shorten it and send the ' +
          'command again.',
      );
    });

    it('accepts start dates in the first years', async () => {
      const texts = textsOf(cardOf(await say('employee add Ana start=0001-01-01')));
      assert.ok(texts.includes('Start date: 0001-01-01'), texts.join('\n'));
      assert.match(
        textOf(await say('employee add Kim start=0000-01-01')),
        /^"0000-01-01" is not a valid start date\. Years start at 0001\./,
      );
    });

    it('names a bad email address', async () => {
      const text = textOf(await say('employee add Ana email=ana.contoso.com'));
      assert.equal(
        text,
        '"ana.contoso.com" is not a valid email address. Example: email=ana.nunez@contoso.com',
      );
    });
  });

  describe('show', () => {
    it('shows a record by id', async () => {
      await say('employee add Ana Núñez title=Engineer');
      const card = cardOf(await say('employee show e-1001'));
      assert.equal(textsOf(card)[0], 'Ana Núñez');
      assert.deepEqual(actionsOf(card), [`Action.OpenUrl ${APP_URL}/E-1001`]);
    });

    it('finds one record by part of its name, ignoring accents', async () => {
      await say('employee add Ana Núñez');
      await say('employee add Kim Berg');
      const card = cardOf(await say('employee show NUNEZ'));
      assert.equal(textsOf(card)[0], 'Ana Núñez');
    });

    it('lists several matches', async () => {
      await say('employee add Ana Núñez title=Engineer');
      await say('employee add Anabel Roth');
      const card = cardOf(await say('employee show ana'));
      const texts = textsOf(card);
      assert.equal(texts[0], 'Employee records matching “ana”');
      assert.equal(texts[1], '2 records match. Show one with employee show <id>.');
      assert.deepEqual(texts.slice(2), [
        `[E-1001](${APP_URL}/E-1001)`,
        'Ana Núñez',
        'Engineer',
        `[E-1002](${APP_URL}/E-1002)`,
        'Anabel Roth',
      ]);
    });

    it('shows the record whose whole name matches', async () => {
      for (const name of ['Person10', 'Person1', 'Person11', 'Person12']) {
        await say(`employee add ${name}`);
      }
      const card = cardOf(await say('employee show person1'));
      assert.equal(textsOf(card)[0], 'Person1');
      assert.equal(textsOf(card)[1], 'E-1002');
    });

    it('matches a whole name ignoring case and accents', async () => {
      await say('employee add Ana Núñez García');
      await say('employee add Ana Núñez');
      const card = cardOf(await say('employee show ANA NUNEZ'));
      assert.equal(textsOf(card)[0], 'Ana Núñez');
    });

    it('lists records that share the whole name', async () => {
      await say('employee add Ana Núñez');
      await say('employee add Ana Núñez');
      const texts = textsOf(cardOf(await say('employee show Ana Núñez')));
      assert.equal(texts[1], '2 records match. Show one with employee show <id>.');
    });

    it('says when nothing matches', async () => {
      const text = textOf(await say('employee show Nobody'));
      assert.equal(
        text,
        'No employee record matches “Nobody”. See every record with employee list.',
      );
    });

    it('names an unknown id', async () => {
      const text = textOf(await say('employee show E-4242'));
      assert.equal(
        text,
        'There is no employee record E-4242. Find records with employee list or employee show ' +
          '&lt;name&gt;.',
      );
    });
  });

  describe('set', () => {
    it('replies with old and new values', async () => {
      await say('employee add Ana title=Engineer');
      const card = cardOf(await say('employee set E-1001 title="Senior Engineer" location=Zürich'));
      const texts = textsOf(card);
      assert.equal(texts[0], 'Updated E-1001');
      assert.equal(texts[1], 'Ana');
      assert.deepEqual(texts.slice(2, 11), [
        'Field',
        'Before',
        'After',
        'Title',
        'Engineer',
        'Senior Engineer',
        'Location',
        '—',
        'Zürich',
      ]);
      assert.match(texts[11], /^By Sam Rivera at \d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/Berlin$/);
      assert.deepEqual(actionsOf(card), [`Action.OpenUrl ${APP_URL}/E-1001`]);
    });

    it('says when nothing changes', async () => {
      await say('employee add Ana title=Engineer');
      const text = textOf(await say('employee set E-1001 title=Engineer'));
      assert.equal(text, 'No change: E-1001 already has those values.');
    });

    it('names an unknown id, a malformed id and a missing field', async () => {
      assert.match(
        textOf(await say('employee set E-9 title=x')),
        /There is no employee record E-9\./,
      );
      assert.match(
        textOf(await say('employee set Ana title=x')),
        /^"Ana" is not a record id; record ids look like E-1001\. Example: employee set E-1001/,
      );
      await say('employee add Ana');
      assert.match(textOf(await say('employee set E-1001')), /^Say which fields to change\./);
    });
  });

  describe('remove', () => {
    it('asks for a confirmation, then removes', async () => {
      await say('employee add Ana Núñez');
      const request = textOf(await say('employee remove E-1001'));
      assert.match(
        request,
        /^To remove E-1001 \(Ana Núñez\), send \*\*employee remove E-1001 confirm\*\* within five minutes, by .+ Europe\/Berlin\.$/,
      );
      clock.now += 4 * 60 * 1000;
      const removed = textOf(await say('employee remove E-1001 confirm'));
      assert.match(removed, /^Removed E-1001 \(Ana Núñez\)\. Its history stays readable/);

      const shown = textOf(await say('employee show E-1001'));
      assert.match(shown, /^E-1001 was removed at .+ by Sam Rivera\. Its history stays readable/);
      assert.match(textOf(await say('employee list')), /^There are no employee records\./);
    });

    it('rejects a confirmation after five minutes', async () => {
      await say('employee add Ana');
      await say('employee remove E-1001');
      clock.now += 5 * 60 * 1000 + 1;
      const text = textOf(await say('employee remove E-1001 confirm'));
      assert.match(text, /^Your request to remove E-1001 expired/);
      assert.equal(textsOf(cardOf(await say('employee show E-1001')))[0], 'Ana');
    });

    it('rejects a confirmation from another person', async () => {
      await say('employee add Ana');
      await say('employee remove E-1001');
      const text = textOf(
        await say('employee remove E-1001 confirm', { senderAadObjectId: OTHER_USER }),
      );
      assert.match(text, /^There is no removal of E-1001 waiting for your confirmation/);
    });

    it('keeps the pending confirmation across a restart', async () => {
      await say('employee add Ana');
      await say('employee remove E-1001');
      await server.close();
      await start();
      assert.match(textOf(await say('employee remove E-1001 confirm')), /^Removed E-1001/);
    });
  });

  describe('purge', () => {
    it('warns first, then erases the personal fields', async () => {
      await say('employee add Ana Núñez email=ana@contoso.com');
      assert.match(textOf(await say('employee purge E-1001')), /is not removed, and only removed/);
      await say('employee remove E-1001');
      await say('employee remove E-1001 confirm');
      assert.match(
        textOf(await say('employee purge E-1001')),
        /^Purging erases the personal fields of E-1001 .* send \*\*employee purge E-1001 confirm\*\*\.$/,
      );
      const purged = textOf(await say('employee purge E-1001 confirm'));
      assert.match(
        purged,
        /^Erased the personal fields of E-1001 from the record and its history\./,
      );

      const shown = textOf(await say('employee show E-1001'));
      assert.match(shown, /Its personal data has been erased\./);
      const trail = JSON.stringify(cardOf(await say('changes E-1001')));
      assert.doesNotMatch(trail, /Núñez|ana@contoso\.com/);
      assert.match(trail, /\*\*Purged\*\*/);
    });
  });

  describe('list', () => {
    it('pages through the records', async () => {
      for (let index = 1; index <= 12; index += 1) {
        await say(`employee add Person ${String(index).padStart(2, '0')} title=Engineer`);
      }
      const first = textsOf(cardOf(await say('employee list')));
      assert.equal(first[0], 'Employee records');
      assert.equal(first[1], '12 records · page 1 of 2');
      assert.equal(first.filter((text) => text.startsWith('Person ')).length, 10);
      assert.equal(first.at(-1), 'Next page: employee list page 2');

      const second = textsOf(cardOf(await say('employee list engineer page 2')));
      assert.equal(second[0], 'Employee records matching “engineer”');
      assert.deepEqual(
        second.filter((text) => text.startsWith('Person ')),
        ['Person 11', 'Person 12'],
      );
      assert.equal(
        textOf(await say('employee list page 3')),
        'There is no page 3: the list has 2 pages.',
      );
    });

    it('says when there are no records', async () => {
      assert.match(textOf(await say('employee list')), /^There are no employee records\./);
      assert.match(textOf(await say('employee list xyz')), /^No employee record matches “xyz”/);
    });
  });

  it('replies to employee with the commands', async () => {
    const text = textOf(await say('employee'));
    assert.match(text, /employee add &lt;name&gt; \[field=value \.\.\.\]/);
    assert.match(text, /employee purge &lt;id&gt; confirm/);
    assert.match(text, /start \(YYYY-MM-DD\)/);
  });

  it('names an unknown subcommand', async () => {
    assert.match(textOf(await say('employee fire E-1001')), /^Unknown employee command "fire"/);
  });

  describe('editors', () => {
    it('lets everyone read but only editors change', async () => {
      await server.close();
      await start({ RECORDS_EDITOR_IDS: `${OTHER_USER.toUpperCase()}` });
      const editor = { senderAadObjectId: OTHER_USER };
      cardOf(await say('employee add Ana', editor));

      const refusal = textOf(await say('employee set E-1001 title=x'));
      assert.match(refusal, /^Only records editors may change employee records/);
      assert.match(refusal, /RECORDS_EDITOR_IDS/);
      assert.equal(textsOf(cardOf(await say('employee show E-1001')))[0], 'Ana');
      const [line] = linesWith(server.logs, 'record change rejected');
      assert.equal(line.userId, '11111111-2222-4333-8444-555555555555');
      const warnings = server.logs.filter((line) =>
        /RECORDS_EDITOR_IDS is empty/.test(String(line.msg)),
      );
      assert.equal(warnings.length, 0);
    });

    it('warns at start-up that everyone may change records', () => {
      const warnings = server.logs.filter((line) => line.level === 40).map((line) => line.msg);
      assert.ok(
        warnings.includes(
          'RECORDS_EDITOR_IDS is empty, so everyone may change employee records. To limit ' +
            'changes, set it to the comma-separated Azure AD object ids of the people who may ' +
            'add, set, remove and purge records.',
        ),
        warnings.join('\n'),
      );
    });
  });

  describe('tenants', () => {
    it('never shows another tenant’s records', async () => {
      await say('employee add Ana');
      const other = { tenantId: 'aaaaaaaa-1111-4222-8333-444444444444' };
      assert.match(
        textOf(await say('employee show E-1001', other)),
        /There is no employee record E-1001/,
      );
      assert.match(textOf(await say('employee show Ana', other)), /No employee record matches/);
      assert.match(textOf(await say('employee list', other)), /There are no employee records\./);
      assert.match(
        textOf(await say('employee set E-1001 title=x', other)),
        /There is no employee record/,
      );
      assert.equal(textOf(await say('changes', other)), 'No changes to employee records.');
    });

    it('falls back to conversation.tenantId and rejects a message without a tenant', async () => {
      const activity = buildMessageActivity('employee add Ana');
      delete (activity.channelData as Record<string, unknown>).tenant;
      cardOf(await postSigned(server, JSON.stringify(activity)));
      assert.equal(textsOf(cardOf(await say('employee show E-1001')))[0], 'Ana');

      delete (activity.conversation as Record<string, unknown>).tenantId;
      activity.id = `${activity.id}1`;
      const text = textOf(await postSigned(server, JSON.stringify(activity)));
      assert.equal(
        text,
        'This message carries no tenant id, so employee records are not available here.',
      );
    });
  });

  describe('same activity twice', () => {
    it('applies the change once and repeats the reply', async () => {
      const body = JSON.stringify(buildMessageActivity('employee add Ana title=Engineer'));
      const first = await postSigned(server, body);
      const second = await postSigned(server, body);
      assert.deepEqual(second.reply, first.reply);
      assert.equal(
        textsOf(cardOf(await say('employee list'))).filter((t) => t === 'Ana').length,
        1,
      );
      // Within one process the repeat cache replies before the handler runs; the records
      // module's own check, tested across a restart below, is the second line of defence.
      assert.equal(linesWith(server.logs, 'repeated delivery').length, 1);
    });

    it('applies the change once across a restart', async () => {
      await say('employee add Ana title=Engineer');
      const body = JSON.stringify(buildMessageActivity('employee set E-1001 title=Lead'));
      const first = await postSigned(server, body);
      await say('employee set E-1001 title=Principal');
      await server.close();
      await start();
      const again = await postSigned(server, body);
      assert.deepEqual(again.reply, first.reply);
      assert.ok(textsOf(cardOf(await say('employee show E-1001'))).includes('Title: Principal'));
      const trail = textsOf(cardOf(await say('changes E-1001')));
      assert.equal(trail.filter((text) => text.startsWith('**Updated**')).length, 2);
    });
  });
});
