import assert from 'node:assert/strict';
import { escapeCardText, escapeMarkdown } from '../../src/records/markdown';

describe('escapeMarkdown', () => {
  const cases: [string, string, string][] = [
    [
      'link',
      '[Click to verify](https://evil.example/login)',
      String.raw`\[Click to verify\]\(https://evil.example/login\)`,
    ],
    [
      'image',
      '![logo](https://evil.example/a.png)',
      String.raw`!\[logo\]\(https://evil.example/a.png\)`,
    ],
    ['bold', '**Boss**', String.raw`\*\*Boss\*\*`],
    ['italic', '_new_ and *new*', String.raw`\_new\_ and \*new\*`],
    ['strikethrough', '~~old~~', String.raw`\~\~old\~\~`],
    ['code span', '`rm -rf`', String.raw`\`rm -rf\``],
    ['backslash', String.raw`a\*b`, String.raw`a\\\*b`],
    ['heading', '# Boss', String.raw`\# Boss`],
    ['block quote', '> quoted', String.raw`\> quoted`],
    ['bullet', '- item', String.raw`\- item`],
    ['plus bullet', '+ item', String.raw`\+ item`],
    ['indented bullet', '  - item', String.raw`  \- item`],
    ['numbered item', '1. one', String.raw`1\. one`],
    ['numbered item with parenthesis', '12) twelve', String.raw`12\) twelve`],
    ['thematic break', '---', String.raw`\---`],
    [
      'date function',
      '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
      String.raw`{{DATE\(2017-02-14T06:00:00Z, SHORT\)}}`,
    ],
    ['second line', 'a\n# b', 'a\n\\# b'],
  ];
  for (const [name, typed, escaped] of cases) {
    it(`escapes a ${name}`, () => {
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
