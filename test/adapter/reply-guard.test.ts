import assert from 'node:assert/strict';
import {
  CARD_NOT_SHOWN_TEXT,
  EMPTY_REPLY_TEXT,
  guardReply,
  type ReplyLimits,
} from '../../src/adapter/reply-guard';
import { CARDS_TOO_LARGE_TEXT, SHORTENED_MARKER, replyBytes } from '../../src/adapter/reply-size';
import { renderLineBreaks } from '../../src/adapter/reply-text';

const limits: ReplyLimits = { maxReplyBytes: 28_000, maxCardVersion: '1.4' };
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function adaptive(content: Record<string, unknown>) {
  return { contentType: ADAPTIVE, content: { type: 'AdaptiveCard', version: '1.4', ...content } };
}

describe('guardReply', () => {
  describe('message shape', () => {
    const shapes: [string, unknown][] = [
      ['undefined', undefined],
      ['an empty object', {}],
      ['a string', 'hello'],
      ['an array', [{ type: 'message' }]],
    ];
    for (const [name, value] of shapes) {
      it(`turns ${name} into a message with text`, () => {
        assert.deepEqual(guardReply(value, limits).reply, {
          type: 'message',
          text: EMPTY_REPLY_TEXT,
        });
      });
    }

    it('explains a reply whose only card was removed', () => {
      const card = { contentType: ADAPTIVE, content: { type: 'AdaptiveCard', version: '1.6' } };
      const { reply } = guardReply({ attachments: [card] }, limits);
      assert.deepEqual(reply, { type: 'message', text: CARD_NOT_SHOWN_TEXT });
    });

    it('forces the type to message', () => {
      const { reply } = guardReply({ type: 'typing', text: 'hi' }, limits);
      assert.deepEqual(reply, { type: 'message', text: 'hi' });
    });

    it('drops attachments without a contentType', () => {
      const { reply, changes } = guardReply({ text: 'x', attachments: [null, {}, 'card'] }, limits);
      assert.equal(reply.attachments, undefined);
      assert.equal(changes.filter((change) => change.code === 'card_removed').length, 3);
    });
  });

  describe('Adaptive Cards', () => {
    it('keeps a valid card and its layout', () => {
      const card = adaptive({ body: [{ type: 'TextBlock', text: 'hi' }] });
      const { reply, changes } = guardReply(
        { attachments: [card, card], attachmentLayout: 'carousel' },
        limits,
      );
      assert.deepEqual(reply.attachments, [card, card]);
      assert.equal(reply.attachmentLayout, 'carousel');
      assert.deepEqual(changes, []);
    });

    it('parses card content sent as a JSON string', () => {
      const content = { type: 'AdaptiveCard', version: '1.2', body: [] };
      const { reply } = guardReply(
        { attachments: [{ contentType: ADAPTIVE, content: JSON.stringify(content) }] },
        limits,
      );
      assert.deepEqual(reply.attachments?.[0].content, content);
    });

    const invalid: [string, unknown][] = [
      ['a bare card without type', { version: '1.4', body: [] }],
      ['a hero card type', { type: 'HeroCard' }],
      ['unparseable string content', '{"type":'],
      ['no version', { type: 'AdaptiveCard', body: [] }],
      ['version 1.5', { type: 'AdaptiveCard', version: '1.5', body: [] }],
      ['version 2.0', { type: 'AdaptiveCard', version: '2.0', body: [] }],
      ['a non-numeric version', { type: 'AdaptiveCard', version: 'latest', body: [] }],
    ];
    for (const [name, content] of invalid) {
      it(`removes ${name}`, () => {
        const { reply, changes } = guardReply(
          { text: 'x', attachments: [{ contentType: ADAPTIVE, content }] },
          limits,
        );
        assert.equal(reply.attachments, undefined);
        assert.equal(changes[0].code, 'card_removed');
      });
    }

    it('allows a higher configured maximum version', () => {
      const card = { contentType: ADAPTIVE, content: { type: 'AdaptiveCard', version: '1.5' } };
      const { reply } = guardReply({ attachments: [card] }, { ...limits, maxCardVersion: '1.5' });
      assert.equal(reply.attachments?.length, 1);
    });

    it('strips every action but open-URL, wherever it is', () => {
      const card = adaptive({
        selectAction: { type: 'Action.Submit' },
        body: [
          {
            type: 'Container',
            selectAction: { type: 'Action.OpenUrl', url: 'https://a' },
            items: [
              {
                type: 'ActionSet',
                actions: [{ type: 'Action.Execute' }, { type: 'Action.OpenUrl', url: 'https://b' }],
              },
              {
                type: 'ColumnSet',
                columns: [{ type: 'Column', selectAction: { type: 'Action.ToggleVisibility' } }],
              },
            ],
          },
        ],
        actions: [
          { type: 'Action.OpenUrl', url: 'https://c' },
          {
            type: 'Action.ShowCard',
            card: { type: 'AdaptiveCard', actions: [{ type: 'Action.OpenUrl', url: 'https://d' }] },
          },
          { type: 'Action.Submit', data: {} },
        ],
      });
      const { reply, changes } = guardReply({ attachments: [card] }, limits);
      const content = reply.attachments?.[0].content as Record<string, unknown>;
      const text = JSON.stringify(content);
      assert.doesNotMatch(text, /Action\.(Submit|Execute|ShowCard|ToggleVisibility)/);
      assert.match(text, /https:\/\/a/);
      assert.match(text, /https:\/\/b/);
      assert.match(text, /https:\/\/c/);
      assert.deepEqual(
        changes.map((change) => change.detail),
        [
          'attachments[0] $.selectAction (Action.Submit)',
          'attachments[0] $.body[0].items[0].actions[0] (Action.Execute)',
          'attachments[0] $.body[0].items[1].columns[0].selectAction (Action.ToggleVisibility)',
          'attachments[0] $.actions[1] (Action.ShowCard)',
          'attachments[0] $.actions[2] (Action.Submit)',
        ],
      );
    });
  });

  describe('hero and thumbnail cards', () => {
    for (const kind of ['hero', 'thumbnail']) {
      it(`strips ${kind} card buttons and taps that are not openUrl`, () => {
        const card = {
          contentType: `application/vnd.microsoft.card.${kind}`,
          content: {
            title: 'T',
            tap: { type: 'imBack', value: 'x' },
            images: [
              { url: 'https://i', tap: { type: 'messageBack' } },
              { url: 'https://j', tap: { type: 'openUrl', value: 'https://k' } },
            ],
            buttons: [
              { type: 'openUrl', value: 'https://a' },
              { type: 'imBack', value: 'b' },
              { type: 'invoke', value: {} },
              { type: 'messageBack', text: 'c' },
            ],
          },
        };
        const { reply, changes } = guardReply({ attachments: [card] }, limits);
        assert.deepEqual(reply.attachments?.[0].content, {
          title: 'T',
          images: [
            { url: 'https://i' },
            { url: 'https://j', tap: { type: 'openUrl', value: 'https://k' } },
          ],
          buttons: [{ type: 'openUrl', value: 'https://a' }],
        });
        assert.equal(changes.length, 5);
      });
    }
  });

  describe('size', () => {
    it('measures UTF-8 bytes, not string length', () => {
      const text = '🚀'.repeat(7_000);
      assert.equal(text.length, 14_000);
      const { reply, changes } = guardReply({ text }, limits);
      assert.ok(replyBytes(reply) <= 28_000);
      assert.equal(changes[0].code, 'text_shortened');
      assert.ok(reply.text?.endsWith(SHORTENED_MARKER));
    });

    it('leaves a reply at the limit alone', () => {
      const overhead = replyBytes({ type: 'message', text: '' });
      const text = 'a'.repeat(28_000 - overhead);
      const { reply, changes } = guardReply({ text }, limits);
      assert.equal(reply.text, text);
      assert.deepEqual(changes, []);
    });

    it('cuts text one byte over the limit to fit, with a marker', () => {
      const overhead = replyBytes({ type: 'message', text: '' });
      const text = 'a'.repeat(28_001 - overhead);
      const { reply } = guardReply({ text }, limits);
      assert.ok(replyBytes(reply) <= 28_000);
      assert.ok(replyBytes(reply) > 27_900);
      assert.ok(reply.text?.endsWith(SHORTENED_MARKER));
    });

    it('never cuts inside a tag, an entity or a mention', () => {
      const tail = ' &amp; <at>Kim Tester</at> <b>bold</b>';
      for (let extra = 0; extra < tail.length; extra++) {
        const overhead =
          replyBytes({ type: 'message', text: '' }) + Buffer.byteLength(SHORTENED_MARKER);
        const text = 'a'.repeat(28_000 - overhead - extra) + tail;
        const { reply } = guardReply(
          {
            text,
            entities: [
              {
                type: 'mention',
                text: '<at>Kim Tester</at>',
                mentioned: { id: '29:k', name: 'Kim Tester' },
              },
            ],
          },
          limits,
        );
        const out = reply.text ?? '';
        const body = out.slice(0, -SHORTENED_MARKER.length);
        assert.doesNotMatch(body, /<[^>]*$/, `extra ${extra}`);
        assert.doesNotMatch(body, /&[a-z#0-9]*$/, `extra ${extra}`);
        assert.equal(reply.entities === undefined, !body.includes('<at>'), `extra ${extra}`);
      }
    });

    it('replaces cards that do not fit with a short text', () => {
      const card = adaptive({ body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] });
      const { reply, changes } = guardReply({ text: 'Here it is.', attachments: [card] }, limits);
      assert.equal(reply.attachments, undefined);
      assert.equal(reply.text, `Here it is.\n\n${CARDS_TOO_LARGE_TEXT}`);
      assert.equal(changes[0].code, 'cards_replaced');
    });

    it('honours a smaller configured limit', () => {
      const { reply } = guardReply(
        { text: 'x'.repeat(5_000) },
        { ...limits, maxReplyBytes: 2_000 },
      );
      assert.ok(replyBytes(reply) <= 2_000);
    });
  });

  describe('mentions', () => {
    const kim = { type: 'mention', text: '<at>Kim</at>', mentioned: { id: '29:kim', name: 'Kim' } };

    it('keeps a mention whose entity matches', () => {
      const { reply, changes } = guardReply({ text: 'Hi <at>Kim</at>', entities: [kim] }, limits);
      assert.deepEqual(reply.entities, [kim]);
      assert.deepEqual(changes, []);
    });

    it('turns an <at> without an entity into plain text', () => {
      const { reply, changes } = guardReply({ text: 'Hi <at>Lee</at>' }, limits);
      assert.equal(reply.text, 'Hi Lee');
      assert.equal(changes[0].code, 'mention_removed');
    });

    it('drops a mention entity without its <at>', () => {
      const { reply, changes } = guardReply(
        { text: 'Hi', entities: [kim, { type: 'clientInfo', locale: 'en-US' }] },
        limits,
      );
      assert.deepEqual(reply.entities, [{ type: 'clientInfo', locale: 'en-US' }]);
      assert.equal(changes[0].code, 'mention_removed');
    });

    it('HTML-escapes names in the text and the entity', () => {
      const entity = { type: 'mention', mentioned: { id: '29:x', name: 'R&D <Ops>' } };
      const { reply } = guardReply({ text: 'Hi <at>R&D <Ops></at>', entities: [entity] }, limits);
      assert.equal(reply.text, 'Hi <at>R&amp;D &lt;Ops&gt;</at>');
      assert.deepEqual(reply.entities, [{ ...entity, text: '<at>R&amp;D &lt;Ops&gt;</at>' }]);
    });

    it('matches an already escaped name', () => {
      const entity = {
        type: 'mention',
        text: '<at>R&amp;D</at>',
        mentioned: { id: '29:x', name: 'R&D' },
      };
      const { reply } = guardReply({ text: '<at>R&amp;D</at>', entities: [entity] }, limits);
      assert.equal(reply.text, '<at>R&amp;D</at>');
      assert.equal(reply.entities?.length, 1);
    });
  });

  describe('line breaks', () => {
    it('renders single line breaks in the reply text', () => {
      const { reply } = guardReply({ text: 'one\ntwo\r\nthree\n\nfour' }, limits);
      assert.equal(reply.text, 'one<br>two<br>three\n\nfour');
    });
  });
});

describe('renderLineBreaks', () => {
  const cases: [string, string, string][] = [
    ['single breaks', 'a\nb', 'a<br>b'],
    ['blank lines kept', 'a\n\nb', 'a\n\nb'],
    ['CR and CRLF', 'a\rb\r\nc', 'a<br>b<br>c'],
    ['list items', 'Items:\n- one\n- two\n1. three', 'Items:\n\n- one\n\n- two\n\n1. three'],
    [
      'code fences untouched',
      'code:\n```\nx = 1\ny = 2\n```\nend',
      'code:<br>```\nx = 1\ny = 2\n```<br>end',
    ],
    ['trailing break', 'a\n', 'a\n'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.equal(renderLineBreaks(input), expected);
    });
  }
});
