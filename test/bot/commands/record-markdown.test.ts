import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import {
  buildMessageActivity,
  postSigned,
  sendMention,
  startTestServer,
  type ActivityOptions,
  type TestServer,
} from '../../../src/testing';
import { createTempFolder } from '../../records/helpers';
import { cardOf, textOf, textsOf } from './reply-helpers';

const LINK = '[Click to verify](https://evil.example/login)';
const ESCAPED_LINK = String.raw`\[Click to verify\]\(https://evil.example/login\)`;
const BOLD = '**Boss**';
const ESCAPED_BOLD = String.raw`\*\*Boss\*\*`;
const NAME = '_Mallory_ Núñez';
const ESCAPED_NAME = String.raw`\_Mallory\_ Núñez`;

describe('user text in records replies', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let server: TestServer;

  const say = (typed: string, activity?: ActivityOptions) =>
    sendMention(server, typed, { activity });

  beforeEach(async () => {
    folder = createTempFolder();
    server = await startTestServer({ env: { DATABASE_PATH: folder.databasePath } });
    await say(`employee add "${NAME}" manager=${LINK} title=${BOLD} location=# Zürich`);
  });

  afterEach(async () => {
    await server.close();
    folder.remove();
  });

  it('stores the values as typed', () => {
    const db = new Database(folder.databasePath, { readonly: true });
    try {
      const row = db.prepare('SELECT name, title, manager, location FROM records').get();
      assert.deepEqual(row, { name: NAME, title: BOLD, manager: LINK, location: '# Zürich' });
    } finally {
      db.close();
    }
  });

  it('escapes values on the record card', async () => {
    const texts = textsOf(cardOf(await say('employee show E-1001')));
    assert.equal(texts[0], ESCAPED_NAME);
    assert.ok(texts.includes(`Title: ${ESCAPED_BOLD}`), texts.join('\n'));
    assert.ok(texts.includes(`Manager: ${ESCAPED_LINK}`), texts.join('\n'));
    assert.ok(texts.includes(String.raw`Location: \# Zürich`), texts.join('\n'));
  });

  it('escapes values on the list card', async () => {
    await say('employee add "Mallory Two"');
    const texts = textsOf(cardOf(await say('employee show Mallory')));
    assert.ok(texts.includes(ESCAPED_NAME), texts.join('\n'));
    assert.ok(texts.includes(String.raw`\*\*Boss\*\* · \# Zürich`), texts.join('\n'));
  });

  it('escapes search text in list headings', async () => {
    for (let index = 1; index <= 10; index += 1) {
      await say(`employee add Person${index} title=${BOLD}`);
    }
    const texts = textsOf(cardOf(await say('employee list **Boss**')));
    assert.equal(texts[0], `Employee records matching “${ESCAPED_BOLD}”`);
    assert.equal(texts.at(-1), `Next page: employee list ${ESCAPED_BOLD} page 2`);
  });

  it('escapes old and new values on the changed card', async () => {
    const texts = textsOf(
      cardOf(await say('employee set E-1001 manager=[Help](https://x.example)')),
    );
    assert.equal(texts[1], ESCAPED_NAME);
    assert.deepEqual(texts.slice(5, 8), [
      'Manager',
      ESCAPED_LINK,
      String.raw`\[Help\]\(https://x.example\)`,
    ]);
  });

  it('escapes values and names in the audit trail', async () => {
    const activity = buildMessageActivity('employee set E-1001 title=Lead', {
      senderName: '[IT Support](https://evil.example)',
    });
    const channelData = activity.channelData as Record<string, Record<string, unknown>>;
    channelData.team.name = '**HR**';
    channelData.channel.name = '_Records_';
    const changed = textsOf(cardOf(await postSigned(server, JSON.stringify(activity))));
    assert.match(changed.at(-1) ?? '', /^By \\\[IT Support\\\]\\\(https:\/\/evil\.example\\\) at /);

    const texts = textsOf(cardOf(await say('changes E-1001')));
    assert.ok(texts.includes(`**Created** E-1001 ${ESCAPED_NAME}`), texts.join('\n'));
    assert.ok(texts.includes(ESCAPED_LINK), texts.join('\n'));
    assert.ok(texts.includes(ESCAPED_BOLD), texts.join('\n'));
    assert.ok(
      texts.includes(
        String.raw`Who: \[IT Support\]\(https://evil.example\) (11111111-2222-4333-8444-555555555555)`,
      ),
      texts.join('\n'),
    );
    assert.ok(
      texts.includes(String.raw`Where: Team \*\*HR\*\* · channel \_Records\_`),
      texts.join('\n'),
    );
  });

  it('escapes values in text replies', async () => {
    assert.match(textOf(await say('employee remove E-1001')), /^To remove E-1001 \(\\_Mallory\\_ /);
    assert.match(
      textOf(await say('employee remove E-1001 confirm')),
      /^Removed E-1001 \(\\_Mallory\\_ Núñez\)\./,
    );
    assert.match(
      textOf(await say('employee show [x](https://evil.example)')),
      /^No employee record matches “\\\[x\\\]\\\(https:\/\/evil\.example\\\)”\./,
    );
    assert.match(
      textOf(await say('employee add Eve email=[a](https://evil.example)')),
      /^"\\\[a\\\]\\\(https:\/\/evil\.example\\\)" is not a valid email address\./,
    );
  });
});
