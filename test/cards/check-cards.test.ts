import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkCardFolder, type CardProblem } from '../../src/cards/check-cards';
import {
  card,
  makeCardFolder,
  makeFolder,
  SHIPPED_CARDS_DIR,
  type TempCardFolder,
} from './card-fixtures';

const limits = { maxCardVersion: '1.4', maxReplyBytes: 28_000 };

describe('checkCardFolder', () => {
  let folder: TempCardFolder;

  beforeEach(() => {
    folder = makeCardFolder();
  });

  afterEach(() => folder.remove());

  /** Writes one template with its sample data and returns the problems found. */
  function check(template: unknown, data: unknown = {}, options = limits): CardProblem[] {
    folder.write('sample.json', template);
    folder.write('sample.data.json', data);
    return checkCardFolder(folder.dir, options);
  }

  /** Returns the problems' `kind path` pairs, for compact comparisons. */
  function places(problems: CardProblem[]): string[] {
    return problems.map((problem) => `${problem.kind} ${problem.path}`);
  }

  it('passes the shipped cards', () => {
    assert.deepEqual(checkCardFolder(SHIPPED_CARDS_DIR, limits), []);
  });

  it('passes a card with repetition and a condition', () => {
    const template = card([
      { type: 'TextBlock', $data: '${people}', text: '${name} (${$index})' },
      { type: 'TextBlock', $when: '${count(people) > 1}', text: 'Several: ${$root.title}' },
    ]);
    assert.deepEqual(
      check(template, { title: 'Team', people: [{ name: 'A' }, { name: 'B' }] }),
      [],
    );
  });

  describe('bindings', () => {
    it('reports a binding without sample data', () => {
      const problems = check(card([{ type: 'TextBlock', text: 'Hi ${sender.name}' }]), {
        sender: {},
      });
      assert.deepEqual(places(problems), ['unbound $.body[0].text']);
      assert.equal(problems[0].file, join(folder.dir, 'sample.json'));
      assert.match(
        problems[0].message,
        /"sender\.name" in "Hi \$\{sender\.name\}" has no sample data/,
      );
      assert.equal(
        problems[0].fix,
        'Add a value for "sender.name" to sample.data.json, or correct the name in the template.',
      );
    });

    it('reports a binding inside repeated data', () => {
      const template = card([{ type: 'TextBlock', $data: '${items}', text: '${title}' }]);
      const problems = check(template, { items: [{ title: 'a' }, { name: 'b' }] });
      assert.deepEqual(places(problems), ['unbound $.body[0].text']);
    });

    it('reports a condition without sample data', () => {
      const template = card([{ type: 'TextBlock', $when: '${manager.active}', text: 'x' }]);
      const problems = check(template, {});
      assert.deepEqual(places(problems), ['unbound $.body[0].$when']);
    });

    it('reports an empty repeated array', () => {
      const template = card([{ type: 'TextBlock', $data: '${items}', text: '${title}' }]);
      const problems = check(template, { items: [] });
      assert.deepEqual(places(problems), ['unbound $.body[0].$data']);
      assert.match(problems[0].message, /empty array/);
    });

    it('reports an invalid expression', () => {
      const problems = check(card([{ type: 'TextBlock', text: '${name(}' }]), { name: 'x' });
      assert.deepEqual(places(problems), ['invalid-expression $.body[0].text']);
    });

    it('reports an unknown function', () => {
      const problems = check(card([{ type: 'TextBlock', text: '${shout(name)}' }]), { name: 'x' });
      assert.deepEqual(places(problems), ['invalid-expression $.body[0].text']);
      assert.match(problems[0].message, /shout does not have an evaluator/);
    });

    it('checks the rest of a template with an invalid expression', () => {
      const template = card([
        { type: 'TextBlock', text: '${name(}' },
        { type: 'Image', url: 'http://example.com/a.png' },
      ]);
      assert.deepEqual(places(check(template)), [
        'invalid-expression $.body[0].text',
        'image-url $.body[1].url',
      ]);
    });

    it('reports text left unexpanded', () => {
      // formatDateTime fails on a value that is not a date, so the binding stays in the text.
      const template = card([{ type: 'TextBlock', text: 'Sent ${formatDateTime(sent)}' }]);
      const problems = check(template, { sent: 'soon' });
      assert.deepEqual(places(problems), ['unexpanded $.body[0].text']);
      assert.match(problems[0].message, /"Sent \$\{formatDateTime\(sent\)\}" still contains/);
    });

    it('reports an expansion that fails', () => {
      // A whole-string binding that fails to evaluate makes the templating library throw.
      const problems = check(card([{ type: 'TextBlock', text: '${formatDateTime(sent)}' }]), {
        sent: 'soon',
      });
      assert.deepEqual(places(problems), ['expansion $']);
      assert.match(problems[0].message, /^expanding the template with its sample data failed: /);
    });

    it('names the expanded place of repeated text', () => {
      const template = card([
        { type: 'TextBlock', $data: '${items}', text: '${title}' },
        { type: 'TextBlock', text: '${note}' },
      ]);
      const problems = check(template, { items: [{ title: 'a' }, { title: 'b' }], note: '${x}' });
      assert.deepEqual(places(problems), ['unexpanded $.body[1].text']);
      assert.match(problems[0].message, /\(at \$\.body\[2\]\.text once expanded\)$/);
    });
  });

  describe('actions', () => {
    it('reports a submit action', () => {
      const template = card([], { actions: [{ type: 'Action.Submit', title: 'Save' }] });
      const problems = check(template);
      assert.deepEqual(places(problems), ['action $.actions[0]']);
      assert.match(problems[0].message, /"Action\.Submit" does not work/);
    });

    it('reports a select action', () => {
      const template = card([
        { type: 'TextBlock', text: 'x', selectAction: { type: 'Action.Execute', verb: 'go' } },
      ]);
      assert.deepEqual(places(check(template)), ['action $.body[0].selectAction']);
    });

    it('reports a show-card action', () => {
      const inner = card([{ type: 'TextBlock', text: 'more' }]);
      const template = card([], {
        actions: [{ type: 'Action.ShowCard', title: 'More', card: inner }],
      });
      assert.deepEqual(places(check(template)), ['action $.actions[0]']);
    });

    it('reports an action in a hidden part', () => {
      const template = card([
        {
          type: 'ActionSet',
          $when: '${admin}',
          actions: [{ type: 'Action.Submit', title: 'Delete' }],
        },
      ]);
      const problems = check(template, { admin: false });
      assert.deepEqual(places(problems), ['action $.body[0].actions[0]']);
      assert.match(problems[0].message, /in a part the sample data does not show/);
    });

    it('reports a repeated action once', () => {
      const template = card([], {
        actions: [{ $data: '${links}', type: 'Action.Submit', title: '${title}' }],
      });
      const problems = check(template, { links: [{ title: 'a' }, { title: 'b' }] });
      assert.deepEqual(places(problems), ['action $.actions[0]']);
    });

    it('accepts open-URL actions', () => {
      const template = card([], {
        actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://example.com' }],
      });
      assert.deepEqual(check(template), []);
    });
  });

  describe('version and schema', () => {
    it('reports a version above the maximum', () => {
      const problems = check({ ...card([]), version: '1.5' });
      assert.deepEqual(places(problems), ['version $.version']);
      assert.match(problems[0].message, /version 1\.5, above the configured maximum 1\.4/);
    });

    it('follows the configured maximum', () => {
      assert.deepEqual(
        check({ ...card([]), version: '1.5' }, {}, { ...limits, maxCardVersion: '1.5' }),
        [],
      );
    });

    it('reports a missing version', () => {
      const problems = check({ type: 'AdaptiveCard', body: [] });
      assert.deepEqual(places(problems), ['version $.version']);
      assert.match(problems[0].message, /declares no "version"/);
    });

    it('reports an invalid property value', () => {
      const problems = check(card([{ type: 'TextBlock', text: 'x', size: 'Huge' }]));
      assert.deepEqual(places(problems), ['schema $.body[0]']);
      assert.match(problems[0].message, /Invalid value "Huge" for property "size"/);
    });

    it('reports an element type the version lacks', () => {
      const problems = check(card([{ type: 'Table', columns: [] }]));
      assert.deepEqual(places(problems), ['schema $.body[0]']);
      assert.match(problems[0].message, /Unknown element type "Table"/);
    });

    it('accepts an unknown type with a fallback', () => {
      const fallback = { type: 'TextBlock', text: 'No table here' };
      assert.deepEqual(check(card([{ type: 'Table', columns: [], fallback }])), []);
    });

    it('reports a property of a later version', () => {
      const problems = check(card([{ type: 'TextBlock', text: 'x', style: 'heading' }]));
      assert.deepEqual(places(problems), ['schema $.body[0]']);
      assert.match(problems[0].message, /"style" is supported in version 1\.5/);
    });

    it('reports a wrong card type', () => {
      const problems = check({ ...card([]), type: 'HeroCard' });
      assert.deepEqual(places(problems), ['schema $']);
      assert.match(problems[0].message, /Invalid or missing card type/);
    });

    it('reports an open-URL action without a URL', () => {
      const problems = check(card([], { actions: [{ type: 'Action.OpenUrl', title: 'Open' }] }));
      assert.deepEqual(places(problems), ['schema $.actions[0]']);
      assert.match(problems[0].message, /Property "url" must be set/);
    });

    it('locates a problem in a column', () => {
      const columns = [{ type: 'Column', width: 'wide', items: [] }];
      const problems = check(card([{ type: 'ColumnSet', columns }]));
      assert.deepEqual(places(problems), ['schema $.body[0].columns[0]']);
    });
  });

  describe('size', () => {
    const template = card([{ type: 'TextBlock', $data: '${rows}', text: '${text}', wrap: true }]);

    it('reports a card over the limit', () => {
      const rows = Array.from({ length: 40 }, () => ({ text: 'x'.repeat(1000) }));
      const problems = check(template, { rows });
      assert.deepEqual(places(problems), ['size $']);
      assert.match(problems[0].message, /is \d+ bytes of UTF-8, over the limit of 28000/);
      assert.match(problems[0].fix, /the largest parts are \$\.body\[\d+\] \(\d+ bytes\)/);
    });

    it('counts UTF-8 bytes, not characters', () => {
      // 40 rows of 400 two-byte characters: 16,000 characters of text but 32,000 bytes of UTF-8.
      const rows = Array.from({ length: 40 }, () => ({ text: 'ü'.repeat(400) }));
      assert.deepEqual(places(check(template, { rows })), ['size $']);
    });

    it('follows the configured limit', () => {
      const rows = [{ text: 'short' }];
      assert.deepEqual(places(check(template, { rows }, { ...limits, maxReplyBytes: 100 })), [
        'size $',
      ]);
      assert.deepEqual(check(template, { rows }, { ...limits, maxReplyBytes: 1024 }), []);
    });
  });

  describe('image URLs', () => {
    it('reports images that are not https', () => {
      const template = card(
        [
          { type: 'Image', url: 'http://example.com/a.png' },
          { type: 'Image', url: 'images/b.png' },
          { type: 'Image', url: 'data:image/png;base64,iVBORw0KGgo=' },
          { type: 'Container', backgroundImage: { url: 'http://example.com/bg.png' }, items: [] },
          { type: 'Image', url: 'https://example.com/ok.png' },
        ],
        {
          backgroundImage: 'ftp://example.com/c.png',
          actions: [
            {
              type: 'Action.OpenUrl',
              title: 'x',
              url: 'https://e.com',
              iconUrl: 'http://e.com/i.png',
            },
          ],
        },
      );
      assert.deepEqual(places(check(template)), [
        'image-url $.backgroundImage',
        'image-url $.body[0].url',
        'image-url $.body[1].url',
        'image-url $.body[2].url',
        'image-url $.body[3].backgroundImage.url',
        'image-url $.actions[0].iconUrl',
      ]);
    });

    it('reports an image URL from the sample data', () => {
      const template = card([{ type: 'Image', url: '${avatar}' }]);
      const problems = check(template, { avatar: 'http://example.com/me.png' });
      assert.deepEqual(places(problems), ['image-url $.body[0].url']);
      assert.match(
        problems[0].message,
        /"http:\/\/example\.com\/me\.png" is not an absolute https URL/,
      );
    });
  });

  describe('folder', () => {
    it('reports files that do not belong', () => {
      folder.write('help.json', card([]));
      folder.write('help.data.json', {});
      folder.write('notes.md', '# notes\n');
      folder.write('old.data.json', {});
      makeFolder(folder.dir, 'preview');
      const problems = checkCardFolder(folder.dir, limits);
      assert.deepEqual(
        problems.map((problem) => `${problem.kind} ${problem.file}`),
        [
          `folder ${join(folder.dir, 'notes.md')}`,
          `sample-data ${join(folder.dir, 'old.data.json')}`,
          `folder ${join(folder.dir, 'preview')}`,
        ],
      );
    });

    it('reports a template without sample data', () => {
      folder.write('static.json', card([{ type: 'TextBlock', text: 'Hi ${name}' }]));
      const problems = checkCardFolder(folder.dir, limits);
      assert.deepEqual(places(problems), ['sample-data $', 'unbound $.body[0].text']);
      assert.equal(problems[0].file, join(folder.dir, 'static.data.json'));
    });

    it('reports JSON that does not parse', () => {
      folder.write('broken.json', '{\n  "type": "AdaptiveCard",\n}\n');
      const problems = checkCardFolder(folder.dir, limits);
      assert.deepEqual(places(problems), ['file $']);
      assert.match(problems[0].message, /broken\.json:3:1 is not valid JSON: unexpected "}"/);
    });

    it('reports sample data that does not parse', () => {
      folder.write('x.json', card([]));
      folder.write('x.data.json', '{ "a": 1, }');
      const problems = checkCardFolder(folder.dir, limits);
      assert.deepEqual(places(problems), ['sample-data $']);
      assert.equal(problems[0].file, join(folder.dir, 'x.data.json'));
    });

    it('reports a template that is not an object', () => {
      const problems = check([card([])]);
      assert.deepEqual(places(problems), ['file $']);
      assert.match(problems[0].message, /not a JSON object/);
    });

    it('reports a template that expands to several cards', () => {
      const problems = check({ ...card([]), $data: '${cards}' }, { cards: [{}, {}] });
      assert.deepEqual(places(problems), ['expansion $']);
      assert.match(problems[0].message, /expands to an array, not one card/);
    });

    it('reports a missing folder', () => {
      const problems = checkCardFolder(join(folder.dir, 'nowhere'), limits);
      assert.deepEqual(places(problems), ['folder $']);
    });
  });
});
