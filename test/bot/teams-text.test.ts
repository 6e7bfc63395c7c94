import assert from 'node:assert/strict';
import { cleanTeamsText, splitCommand } from '../../src/bot/teams-text';
import { loadPayloads } from '../helpers/fixtures';

describe('cleanTeamsText', () => {
  const payloadTexts: Record<string, string> = {
    'channel-2019-null-recipient-emoji.json': 'testing go go go 🍺',
    'channel-2024-html-text-no-recipient.json': 'status prod-eu & "quotes"',
    'classic-2017-with-mention-entities.json': 'Hello Lee Sample',
    'thread-reply-2024-with-user-mention.json': 'assign Kim Tester to INC-42',
  };
  for (const { file, body } of loadPayloads()) {
    it(`cleans ${file}`, () => {
      const activity = JSON.parse(body.toString('utf8')) as { text: string };
      assert.equal(cleanTeamsText(activity.text), payloadTexts[file]);
    });
  }

  const cases: [string, string, string][] = [
    ['plain mention', '<at>Bot</at> echo hi', 'echo hi'],
    ['paragraph wrapper', '<p><at>Bot</at>&nbsp;echo hi</p>', 'echo hi'],
    [
      'div wrapper with leading space',
      ' <div><div><at>Bot</at>&nbsp;echo hi</div></div>\n',
      'echo hi',
    ],
    ['name with spaces and entity', '<at>HR &amp; Ops Bot</at> list', 'list'],
    ['mention with attributes', '<at id="0">Bot</at> help', 'help'],
    ['mention only', '<at>Bot</at>', ''],
    ['mention and nbsp only', '<p><at>Bot</at>&nbsp;&nbsp;</p>', ''],
    ['no leading mention', 'echo <at>Kim</at>', 'echo Kim'],
    ['only the first mention is the webhook', '<at>Bot</at> <at>Bot</at> hi', 'Bot hi'],
    ['named entities', '<at>B</at> a &lt;b&gt; &copy; &eacute; &hellip; &mdash;', 'a <b> © é … —'],
    ['numeric entities', '<at>B</at> &#233; &#x1F680; &#39;', "é 🚀 '"],
    ['decoded tags stay text', '<at>B</at> &lt;at&gt;x&lt;/at&gt;', '<at>x</at>'],
    ['emoji image alt', '<at>B</at> go <img alt="🎉" src="x.png"> now', 'go 🎉 now'],
    ['single-quoted alt', "<at>B</at> <img src='x' alt='👍'>", '👍'],
    ['image without alt', '<at>B</at> a<img src="x">b', 'ab'],
    ['line breaks become spaces', '<at>B</at> one<br>two<br/>three', 'one two three'],
    ['paragraphs become spaces', '<p><at>B</at> one</p><p>two</p>', 'one two'],
    [
      'other tags stripped',
      '<at>B</at> <b>bold</b> <i>it</i> <a href="u">link</a>',
      'bold it link',
    ],
    ['whitespace collapsed', '<at>B</at> \t a \n\n b  ', 'a b'],
    ['zero-width space removed', '<at>B</at>\u200b echo\u00a0x', 'echo x'],
    ['comment removed', '<at>B</at> a<!-- note -->b', 'ab'],
    ['non-ASCII', '<at>B</at> echo Zoë 你好 مرحبا', 'echo Zoë 你好 مرحبا'],
  ];
  for (const [name, html, expected] of cases) {
    it(name, () => {
      assert.equal(cleanTeamsText(html), expected);
    });
  }

  it('returns empty text for missing text', () => {
    assert.equal(cleanTeamsText(undefined), '');
    assert.equal(cleanTeamsText(null), '');
    assert.equal(cleanTeamsText(''), '');
  });
});

describe('splitCommand', () => {
  it('lower-cases the name and keeps the arguments as typed', () => {
    assert.deepEqual(splitCommand('ECHO Hello  There'), { name: 'echo', args: 'Hello  There' });
  });

  it('returns empty parts for empty text', () => {
    assert.deepEqual(splitCommand('   '), { name: '', args: '' });
  });

  it('returns empty arguments for a bare name', () => {
    assert.deepEqual(splitCommand('help'), { name: 'help', args: '' });
  });
});
