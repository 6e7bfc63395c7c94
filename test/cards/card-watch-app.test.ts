import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendMention, startTestServer, type TestServer } from '../../src/testing';
import { SHIPPED_CARDS_DIR, waitFor } from './card-fixtures';

describe('service with card watching', () => {
  let root: string;
  let server: TestServer | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cards-app-'));
    cpSync(SHIPPED_CARDS_DIR, join(root, 'cards'), { recursive: true });
  });

  afterEach(async () => {
    server?.app.cards.close();
    await server?.close();
    server = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('serves an edited template without a restart', async () => {
    server = await startTestServer({ cwd: root, env: { WATCH_CARDS: 'true' } });
    const helpFile = join(root, 'cards', 'help.json');
    writeFileSync(
      helpFile,
      JSON.stringify({
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'TextBlock', text: 'Edited help' }],
      }),
    );
    await waitFor(() => server!.logs.some((line) => line.msg === 'card template reloaded'));

    const response = await sendMention(server, 'help');
    assert.equal(response.status, 200);
    assert.match(JSON.stringify(response.reply?.attachments), /Edited help/);
  });

  it('keeps serving the last good template after a broken edit', async () => {
    server = await startTestServer({ cwd: root, env: { WATCH_CARDS: 'true' } });
    writeFileSync(join(root, 'cards', 'help.json'), '{ "type": ');
    await waitFor(() => server!.logs.some((line) => line.level === 50));

    const response = await sendMention(server, 'help');
    assert.equal(response.status, 200);
    assert.match(JSON.stringify(response.reply?.attachments), /What I can do/);
    const error = server.logs.find((line) => line.level === 50);
    assert.equal(error?.part, 'cards');
    assert.equal(error?.file, join(root, 'cards', 'help.json'));
  });

  it('does not watch when WATCH_CARDS is off', async () => {
    server = await startTestServer({ cwd: root, env: { WATCH_CARDS: 'false' } });
    assert.equal(
      server.logs.some((line) => line.msg === 'watching card templates'),
      false,
    );
    writeFileSync(join(root, 'cards', 'help.json'), '{ "type": ');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(
      server.logs.some((line) => line.part === 'cards'),
      false,
    );
  });
});
