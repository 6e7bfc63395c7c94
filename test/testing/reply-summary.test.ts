import assert from 'node:assert/strict';
import { formatReplySummary } from '../../src/testing/reply-format';
import { summarizeReply, type CardSummary } from '../../src/testing/reply-summary';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function adaptive(content: object): object {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE, content }] };
}

function onlyCard(reply: object): CardSummary {
  const { cards } = summarizeReply(reply);
  assert.equal(cards.length, 1);
  return cards[0];
}

/** A card with every kind of element the summary walks, each carrying a distinct text. */
const NESTED_CARD = {
  type: 'AdaptiveCard',
  version: '1.4',
  body: [
    { type: 'TextBlock', text: 'Record E-1001', weight: 'Bolder', size: 'Medium' },
    {
      type: 'Container',
      items: [
        { type: 'TextBlock', text: 'in a container' },
        { type: 'RichTextBlock', inlines: ['rich ', { type: 'TextRun', text: 'text' }] },
      ],
      selectAction: { type: 'Action.OpenUrl', url: 'https://example.com/container' },
    },
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', items: [{ type: 'TextBlock', text: 'left column' }] },
        {
          items: [
            { type: 'FactSet', facts: [{ title: 'Department', value: 'Finance' }] },
            { type: 'Image', url: 'https://example.com/photo.png' },
          ],
        },
      ],
    },
    {
      type: 'Table',
      columns: [{ width: 1 }],
      rows: [
        {
          type: 'TableRow',
          cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'in a table' }] }],
        },
      ],
    },
    { type: 'ImageSet', images: [{ type: 'Image', url: 'https://example.com/a.png' }] },
    {
      type: 'ActionSet',
      actions: [
        { type: 'Action.OpenUrl', title: 'Open in app', url: 'https://example.com/E-1001' },
      ],
    },
  ],
  actions: [
    { type: 'Action.Submit', title: 'Approve' },
    {
      type: 'Action.ShowCard',
      title: 'More',
      card: {
        type: 'AdaptiveCard',
        body: [{ type: 'TextBlock', text: 'inside the show card' }],
        actions: [{ type: 'Action.OpenUrl', title: 'History', url: 'https://example.com/h' }],
      },
    },
  ],
};

describe('summarizeReply', () => {
  it('returns the text and no cards', () => {
    assert.deepEqual(summarizeReply({ type: 'message', text: 'hello' }), {
      text: 'hello',
      mentions: [],
      cards: [],
    });
  });

  it('returns an empty summary for non-objects', () => {
    for (const reply of [undefined, null, 'text', 42, []]) {
      assert.deepEqual(summarizeReply(reply), { text: undefined, mentions: [], cards: [] });
    }
  });

  it('lists mention entities', () => {
    const summary = summarizeReply({
      type: 'message',
      text: 'Hi <at>Sam</at>',
      entities: [
        { type: 'mention', text: '<at>Sam</at>', mentioned: { id: '29:sam', name: 'Sam' } },
        { type: 'clientInfo', locale: 'en-US' },
      ],
    });

    assert.deepEqual(summary.mentions, [{ text: '<at>Sam</at>', id: '29:sam', name: 'Sam' }]);
  });

  it('walks every element of an Adaptive Card', () => {
    const card = onlyCard(adaptive(NESTED_CARD));

    assert.equal(card.kind, 'Adaptive Card 1.4');
    assert.equal(card.title, 'Record E-1001');
    assert.deepEqual(card.texts, [
      'in a container',
      'rich text',
      'left column',
      'in a table',
      'inside the show card',
    ]);
    assert.deepEqual(card.facts, [{ title: 'Department', value: 'Finance' }]);
    assert.deepEqual(card.parts, [
      { text: 'in a container' },
      { text: 'rich text' },
      { text: 'left column' },
      { facts: [{ title: 'Department', value: 'Finance' }] },
      { text: 'in a table' },
      { text: 'inside the show card' },
    ]);
    assert.deepEqual(card.images, ['https://example.com/photo.png', 'https://example.com/a.png']);
  });

  it('lists buttons with their URLs', () => {
    const card = onlyCard(adaptive(NESTED_CARD));

    assert.deepEqual(card.buttons, [
      { title: '(tap)', type: 'Action.OpenUrl', url: 'https://example.com/container' },
      { title: 'Open in app', type: 'Action.OpenUrl', url: 'https://example.com/E-1001' },
      { title: 'Approve', type: 'Action.Submit' },
      { title: 'More', type: 'Action.ShowCard' },
      { title: 'History', type: 'Action.OpenUrl', url: 'https://example.com/h' },
    ]);
  });

  it('takes no title from plain first text', () => {
    const card = onlyCard(
      adaptive({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'a' }] }),
    );

    assert.equal(card.title, undefined);
    assert.deepEqual(card.texts, ['a']);
  });

  it('takes a heading as title only first', () => {
    const card = onlyCard(
      adaptive({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'intro' },
          { type: 'TextBlock', text: 'Heading', style: 'heading' },
        ],
      }),
    );

    assert.equal(card.kind, 'Adaptive Card 1.5');
    assert.equal(card.title, undefined);
    assert.deepEqual(card.texts, ['intro', 'Heading']);
  });

  it('names a card without a version', () => {
    assert.equal(
      onlyCard(adaptive({ type: 'AdaptiveCard' })).kind,
      'Adaptive Card without a version',
    );
  });

  it('summarizes a hero card', () => {
    const card = onlyCard({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            title: 'Kim Tester',
            subtitle: 'Finance',
            text: 'Joined in 2021',
            images: [{ url: 'https://example.com/kim.png' }],
            buttons: [
              { type: 'openUrl', title: 'Profile', value: 'https://example.com/kim' },
              { type: 'imBack', title: 'Say hi', value: 'hi' },
            ],
            tap: { type: 'openUrl', value: 'https://example.com/tap' },
          },
        },
      ],
    });

    assert.deepEqual(card, {
      kind: 'hero card',
      title: 'Kim Tester',
      texts: ['Finance', 'Joined in 2021'],
      facts: [],
      parts: [{ text: 'Finance' }, { text: 'Joined in 2021' }],
      buttons: [
        { title: 'Profile', type: 'openUrl', url: 'https://example.com/kim' },
        { title: 'Say hi', type: 'imBack' },
        { title: '(tap)', type: 'openUrl', url: 'https://example.com/tap' },
      ],
      images: ['https://example.com/kim.png'],
    });
  });

  it('names a thumbnail card', () => {
    const card = onlyCard({
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: 'T' } },
      ],
    });

    assert.equal(card.kind, 'thumbnail card');
    assert.equal(card.title, 'T');
  });

  it('names other attachments by content type', () => {
    const card = onlyCard({
      type: 'message',
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/i.png' }],
    });

    assert.equal(card.kind, 'image/png');
    assert.deepEqual(card.images, ['https://example.com/i.png']);
  });

  it('skips malformed parts', () => {
    const card = onlyCard(
      adaptive({
        type: 'AdaptiveCard',
        version: '1.4',
        body: [null, 'text', { type: 'TextBlock' }, { type: 'FactSet', facts: 'x' }],
        actions: [{ title: 'No type' }],
      }),
    );

    assert.deepEqual(card.texts, []);
    assert.deepEqual(card.facts, []);
    assert.deepEqual(card.parts, []);
    assert.deepEqual(card.buttons, [{ title: 'No type', type: 'action without a type' }]);
  });
});

describe('formatReplySummary', () => {
  it('formats text, mentions and cards', () => {
    const lines = formatReplySummary(
      summarizeReply({
        type: 'message',
        text: 'Hi <at>Sam</at>\n\nsecond paragraph',
        entities: [
          { type: 'mention', text: '<at>Sam</at>', mentioned: { id: '29:s', name: 'Sam' } },
        ],
        attachments: [{ contentType: ADAPTIVE, content: NESTED_CARD }],
      }),
    );

    assert.deepEqual(lines, [
      'Text: Hi <at>Sam</at>',
      '',
      '      second paragraph',
      'Mentions:',
      '  <at>Sam</at> -> Sam (29:s)',
      'Card 1 of 1: Adaptive Card 1.4',
      '  Title: Record E-1001',
      '  Text: in a container',
      '  Text: rich text',
      '  Text: left column',
      '  Facts:',
      '    Department: Finance',
      '  Text: in a table',
      '  Text: inside the show card',
      '  Buttons:',
      '    (tap): https://example.com/container',
      '    Open in app: https://example.com/E-1001',
      '    Approve: Action.Submit, which does nothing in an outgoing-webhook reply',
      '    More: Action.ShowCard, which does nothing in an outgoing-webhook reply',
      '    History: https://example.com/h',
      '  Images:',
      '    https://example.com/photo.png',
      '    https://example.com/a.png',
    ]);
  });

  it('keeps each fact set under its text', () => {
    const entry = (title: string, when: string) => ({
      type: 'Container',
      items: [
        { type: 'TextBlock', text: title },
        { type: 'FactSet', facts: [{ title: 'When', value: when }] },
        { type: 'TextBlock', text: `${title} detail` },
      ],
    });
    const lines = formatReplySummary(
      summarizeReply(
        adaptive({
          type: 'AdaptiveCard',
          version: '1.4',
          body: [entry('Created', 'Monday'), entry('Updated', 'Tuesday')],
        }),
      ),
    );

    assert.deepEqual(lines, [
      'Card 1 of 1: Adaptive Card 1.4',
      '  Text: Created',
      '  Facts:',
      '    When: Monday',
      '  Text: Created detail',
      '  Text: Updated',
      '  Facts:',
      '    When: Tuesday',
      '  Text: Updated detail',
    ]);
  });

  it('says when there is nothing to show', () => {
    assert.deepEqual(formatReplySummary(summarizeReply({ type: 'message' })), [
      '(no text and no cards)',
    ]);
  });

  it('marks an open-URL button without a URL', () => {
    const lines = formatReplySummary(
      summarizeReply(
        adaptive({ type: 'AdaptiveCard', actions: [{ type: 'Action.OpenUrl', title: 'Go' }] }),
      ),
    );

    assert.ok(lines.includes('    Go: (no URL)'));
  });
});
