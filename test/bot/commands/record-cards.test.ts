import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as AdaptiveCardsModule from 'adaptivecards';
import { CardRenderer } from '../../../src/cards/card-renderer';
import { findDisallowedActions, ADAPTIVE_CARD } from '../../../src/cards/card-rules';

// adaptivecards 3.0's main entry (lib/) imports './strings' without an extension, so Node cannot
// load it; the UMD bundle in dist/ has the same API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

const CARDS_DIR = join(__dirname, '..', '..', '..', '..', 'cards');
const TEMPLATES = ['employee-record', 'employee-changed', 'employee-list', 'changes'];

describe('record card templates', () => {
  const renderer = new CardRenderer(CARDS_DIR);

  const sampleData = (name: string) =>
    JSON.parse(readFileSync(join(CARDS_DIR, `${name}.data.json`), 'utf8')) as Record<
      string,
      unknown
    >;

  for (const name of TEMPLATES) {
    describe(name, () => {
      it('fills every binding from its sample data', () => {
        const card = renderer.renderCard(name, sampleData(name));
        assert.doesNotMatch(JSON.stringify(card), /\$\{/);
        assert.equal(card.version, '1.4');
      });

      it('parses without warnings in the Adaptive Cards SDK', () => {
        const card = new AdaptiveCards.AdaptiveCard();
        const context = new AdaptiveCards.SerializationContext();
        card.parse(renderer.renderCard(name, sampleData(name)), context);
        const messages = Array.from(
          { length: context.eventCount },
          (_, index) => context.getEventAt(index).message,
        );
        assert.deepEqual(messages, []);
        assert.deepEqual(card.validateProperties().validationEvents, []);
      });

      it('has open-URL actions only', () => {
        const card = renderer.renderCard(name, sampleData(name));
        assert.deepEqual(findDisallowedActions(ADAPTIVE_CARD, card), []);
      });
    });
  }

  it('drops the open-URL button when there is no URL', () => {
    for (const name of ['employee-record', 'employee-changed', 'changes']) {
      const card = renderer.renderCard(name, { ...sampleData(name), url: '' });
      assert.deepEqual(card.actions, [], name);
    }
  });
});
