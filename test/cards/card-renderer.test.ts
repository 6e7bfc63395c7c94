import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  CardRenderer,
  CardTemplateError,
} from '../../src/cards/card-renderer';
import {
  captureLogger,
  card,
  makeCardFolder,
  SHIPPED_CARDS_DIR,
  waitFor,
  type TempCardFolder,
} from './card-fixtures';

const greeting = card([{ type: 'TextBlock', text: 'Hello ${name}' }]);

function textOf(rendered: Record<string, unknown>): unknown {
  return (rendered.body as { text: unknown }[])[0].text;
}

describe('CardRenderer', () => {
  let folder: TempCardFolder;
  let renderer: CardRenderer | undefined;

  beforeEach(() => {
    folder = makeCardFolder({ 'greeting.json': greeting, 'greeting.data.json': { name: 'Ana' } });
  });

  afterEach(() => {
    renderer?.close();
    renderer = undefined;
    folder.remove();
  });

  it('renders shipped cards by name', () => {
    renderer = new CardRenderer(SHIPPED_CARDS_DIR);
    assert.deepEqual(renderer.names, [
      'changes',
      'employee-changed',
      'employee-list',
      'employee-record',
      'error',
      'help',
      'sender-info',
      'still-working',
    ]);
    const attachment = renderer.render('still-working', { requestId: 'req-1' });
    assert.equal(attachment.contentType, ADAPTIVE_CARD_CONTENT_TYPE);
    assert.match(JSON.stringify(attachment.content), /Reference: req-1/);
  });

  it('expands data into a card', () => {
    renderer = new CardRenderer(folder.dir);
    assert.equal(textOf(renderer.renderCard('greeting', { name: 'Lee' })), 'Hello Lee');
  });

  it('rejects an unknown name with the known ones', () => {
    renderer = new CardRenderer(folder.dir);
    assert.throws(() => renderer?.renderCard('missing', {}), {
      name: 'CardTemplateError',
      message: /No card template named "missing".*Known templates: greeting\./,
    });
  });

  describe('start-up', () => {
    it('names a template that is not JSON', () => {
      const file = folder.write('broken.json', '{\n  "type": "AdaptiveCard",\n  "body": [,]\n}\n');
      assert.throws(
        () => new CardRenderer(folder.dir),
        (error: Error) => {
          assert.ok(error instanceof CardTemplateError);
          assert.ok(error.message.startsWith(`${file}:3:12 is not valid JSON`), error.message);
          return true;
        },
      );
    });

    it('names sample data that is not JSON', () => {
      const file = folder.write('greeting.data.json', '{ "name": ');
      assert.throws(() => new CardRenderer(folder.dir), {
        name: 'CardTemplateError',
        message: new RegExp(`^${file}:1:11 is not valid JSON`),
      });
    });

    it('names a template that is not an object', () => {
      const file = folder.write('list.json', '[]');
      assert.throws(() => new CardRenderer(folder.dir), {
        name: 'CardTemplateError',
        message: `${file} is not an Adaptive Card template: expected a JSON object with "type": "AdaptiveCard" at the top.`,
      });
    });

    it('names the path of an invalid binding', () => {
      const file = folder.write('bad.json', card([{ type: 'TextBlock', text: '${name(}' }]));
      assert.throws(() => new CardRenderer(folder.dir), {
        name: 'CardTemplateError',
        message: new RegExp(
          `^${file} has an invalid binding expression at \\$\\.body\\[0\\]\\.text: `,
        ),
      });
    });

    it('names a folder that does not exist', () => {
      assert.throws(() => new CardRenderer(`${folder.dir}/nowhere`), {
        name: 'CardTemplateError',
        message: /Cannot read the card template folder .*nowhere.*Set CARDS_DIR/,
      });
    });

    it('accepts a template without sample data', () => {
      unlinkSync(`${folder.dir}/greeting.data.json`);
      renderer = new CardRenderer(folder.dir);
      assert.deepEqual(renderer.names, ['greeting']);
    });
  });

  describe('watching', () => {
    function watchFolder() {
      const capture = captureLogger();
      renderer = new CardRenderer(folder.dir, {
        logger: capture.logger,
        watch: true,
        debounceMs: 20,
      });
      return capture.lines;
    }

    const logged = (lines: Record<string, unknown>[], msg: string) =>
      lines.filter((line) => line.msg === msg);

    it('picks up a changed template', async () => {
      const lines = watchFolder();
      folder.write('greeting.json', card([{ type: 'TextBlock', text: 'Hi ${name}' }]));
      await waitFor(() => logged(lines, 'card template reloaded').length > 0);
      assert.equal(textOf(renderer!.renderCard('greeting', { name: 'Lee' })), 'Hi Lee');
      assert.equal(logged(lines, 'card template reloaded')[0].card, 'greeting');
    });

    it('keeps the last good version of a broken edit', async () => {
      const lines = watchFolder();
      const file = folder.write('greeting.json', '{ "type": "AdaptiveCard", ');
      const problem = 'card template invalid, last good version kept';
      await waitFor(() => logged(lines, problem).length > 0);

      assert.equal(textOf(renderer!.renderCard('greeting', { name: 'Lee' })), 'Hello Lee');
      const [line] = logged(lines, problem);
      assert.equal(line.level, 50);
      assert.equal(line.file, file);
      assert.match(String((line.err as { message: string }).message), /is not valid JSON/);
    });

    it('logs a broken file once', async () => {
      const lines = watchFolder();
      folder.write('greeting.json', '{');
      await waitFor(() => lines.some((line) => line.level === 50));
      folder.write('other.json', card([]));
      await waitFor(() => logged(lines, 'card template added').length > 0);
      assert.equal(lines.filter((line) => line.level === 50).length, 1);
    });

    it('recovers when a broken edit is fixed', async () => {
      const lines = watchFolder();
      folder.write('greeting.json', '{');
      await waitFor(() => lines.some((line) => line.level === 50));
      folder.write('greeting.json', card([{ type: 'TextBlock', text: 'Fixed ${name}' }]));
      await waitFor(() => logged(lines, 'card template reloaded').length > 0);
      assert.equal(textOf(renderer!.renderCard('greeting', { name: 'Lee' })), 'Fixed Lee');
    });

    it('adds and removes templates', async () => {
      const lines = watchFolder();
      folder.write('farewell.json', card([{ type: 'TextBlock', text: 'Bye' }]));
      await waitFor(() => renderer!.names.includes('farewell'));
      unlinkSync(`${folder.dir}/greeting.json`);
      await waitFor(() => !renderer!.names.includes('greeting'));
      assert.deepEqual(renderer!.names, ['farewell']);
      assert.equal(logged(lines, 'card template removed')[0].card, 'greeting');
    });

    it('logs broken sample data', async () => {
      const lines = watchFolder();
      const file = folder.write('greeting.data.json', '{ name');
      await waitFor(() => logged(lines, 'card sample data invalid').length > 0);
      assert.equal(logged(lines, 'card sample data invalid')[0].file, file);
    });

    it('stops after close', async () => {
      const lines = watchFolder();
      renderer!.close();
      folder.write('greeting.json', card([{ type: 'TextBlock', text: 'Changed' }]));
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(textOf(renderer!.renderCard('greeting', { name: 'Lee' })), 'Hello Lee');
      assert.equal(logged(lines, 'card template reloaded').length, 0);
    });

    it('reload re-reads without watching', async () => {
      renderer = new CardRenderer(folder.dir);
      folder.write('greeting.json', card([{ type: 'TextBlock', text: 'Later ${name}' }]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(textOf(renderer.renderCard('greeting', { name: 'Lee' })), 'Hello Lee');
      renderer.reload();
      assert.equal(textOf(renderer.renderCard('greeting', { name: 'Lee' })), 'Later Lee');
    });
  });
});
