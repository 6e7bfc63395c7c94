import assert from 'node:assert/strict';
import { escapeCardText, escapeMarkdown } from '../../src/records/markdown';

describe('escapeMarkdown', () => {
  const cases: [string, string, string][] = [
    [
      'a link',
      '[Click to verify](https://evil.example/login)',
      String.raw`\[Click to verify\]\(https://evil.example/login\)`,
    ],
    [
      'an image',
      '![logo](https://evil.example/a.png)',
      String.raw`!\[logo\]\(https://evil.example/a.png\)`,
    ],
    ['bold text', '**Boss**', String.raw`\*\*Boss\*\*`],
    ['italic text', '_new_ and *new*', String.raw`\_new\_ and \*new\*`],
    ['struck-through text', '~~old~~', String.raw`\~\~old\~\~`],
    ['a code span', '`rm -rf`', String.raw`\`rm -rf\``],
    ['a backslash', String.raw`a\*b`, String.raw`a\\\*b`],
    ['a heading', '# Boss', String.raw`\# Boss`],
    ['a block quote', '> quoted', String.raw`\> quoted`],
    ['a bullet', '- item', String.raw`\- item`],
    ['a plus bullet', '+ item', String.raw`\+ item`],
    ['an indented bullet', '  - item', String.raw`  \- item`],
    ['a numbered item', '1. one', String.raw`1\. one`],
    ['a numbered item with parenthesis', '12) twelve', String.raw`12\) twelve`],
    ['a thematic break', '---', String.raw`\---`],
    [
      'a date function',
      '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
      String.raw`{{DATE\(2017-02-14T06:00:00Z, SHORT\)}}`,
    ],
    ['markup on a second line', 'a\n# b', 'a\n\\# b'],
  ];
  for (const [name, typed, escaped] of cases) {
    it(`escapes ${name}`, () => {
      assert.equal(escapeMarkdown(typed), escaped);
    });
  }

  it('keeps plain and non-ASCII text', () => {
    for (const text of [
      'Ana-María O’Brien',
      "O'Brien",
      'Zoë Ångström-Łukasiewicz',
      '東京',
      'Research & Development',
      'ana.nunez@contoso.com',
      '2024-05-01',
      'E-1001 # 3 > 2 - 1',
    ]) {
      assert.equal(escapeMarkdown(text), text);
    }
  });

  it('leaves character references to the HTML escaping of text replies', () => {
    assert.equal(escapeMarkdown('&lt;b&gt;'), '&lt;b&gt;');
  });
});

describe('escapeCardText', () => {
  it('escapes Markdown as escapeMarkdown does', () => {
    assert.equal(escapeCardText('[a](b) **c**'), String.raw`\[a\]\(b\) \*\*c\*\*`);
  });

  it('escapes the ampersand of character references', () => {
    assert.equal(escapeCardText('&lt;b&gt; &#42; &#x2A;'), String.raw`\&lt;b\&gt; \&#42; \&#x2A;`);
  });

  it('keeps an ampersand that starts no reference', () => {
    assert.equal(escapeCardText('AT&T & R&D & b;'), 'AT&T & R&D & b;');
  });
});
