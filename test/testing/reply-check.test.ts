import assert from 'node:assert/strict';
import { findReplyProblems } from '../../src/testing/reply-check';

describe('findReplyProblems', () => {
  const valid: [string, string][] = [
    ['text', '{"type":"message","text":"hello"}'],
    [
      'an attachment',
      '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",' +
        '"content":{"type":"AdaptiveCard","version":"1.4","body":[]}}]}',
    ],
    [
      'an attachment by URL',
      '{"type":"message","attachments":[{"contentType":"image/png","contentUrl":"https://x"}]}',
    ],
  ];

  for (const [name, body] of valid) {
    it(`accepts a message with ${name}`, () => {
      assert.deepEqual(findReplyProblems(body), []);
    });
  }

  const invalid: [string, string, string[]][] = [
    ['an empty body', '', ['The reply body is empty.']],
    ['a blank body', '  \n', ['The reply body is empty.']],
    ['invalid JSON', '{"type":', ['The reply body is not valid JSON.']],
    [
      'a JSON string',
      '"hello"',
      ['The reply is a JSON string; it must be an object with type "message".'],
    ],
    ['an array', '[]', ['The reply is an array; it must be an object with type "message".']],
    ['null', 'null', ['The reply is null; it must be an object with type "message".']],
    [
      'an empty object',
      '{}',
      [
        'The reply has no type; it must have type "message".',
        'The reply has neither text nor attachments.',
      ],
    ],
    [
      'another type',
      '{"type":"typing","text":"x"}',
      ['The reply has type "typing"; it must be "message".'],
    ],
    ['no text', '{"type":"message","text":"  "}', ['The reply has neither text nor attachments.']],
    [
      'no attachments',
      '{"type":"message","attachments":[]}',
      ['The reply has neither text nor attachments.'],
    ],
    [
      'attachments that are not an array',
      '{"type":"message","text":"x","attachments":{}}',
      ['The reply\'s "attachments" is not an array.'],
    ],
    [
      'an attachment without a content type',
      '{"type":"message","attachments":[{"content":{}}]}',
      ['Attachment 1 is not an object with a string "contentType" and a "content".'],
    ],
  ];

  for (const [name, body, problems] of invalid) {
    it(`lists problems of ${name}`, () => {
      assert.deepEqual(findReplyProblems(body), problems);
    });
  }

  it('names a bare Adaptive Card and the fix', () => {
    const [problem, ...rest] = findReplyProblems('{"type":"AdaptiveCard","version":"1.4"}');

    assert.match(problem, /^The reply is a bare Adaptive Card; send it as \{"type": "message"/);
    assert.deepEqual(rest, []);
  });
});
