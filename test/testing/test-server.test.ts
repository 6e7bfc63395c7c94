import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postSigned, startTestServer } from '../../src/testing';

describe('startTestServer', () => {
  let cwd: string;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'kit-cwd-'));
  });

  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const big = JSON.stringify({ type: 'message', text: 'x'.repeat(2000), timestamp: new Date() });

  it('ignores .env in its folder by default', async () => {
    writeFileSync(join(cwd, '.env'), 'MAX_BODY_BYTES=1024\n');
    const server = await startTestServer({ cwd });
    try {
      assert.equal((await postSigned(server, big)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('reads .env when asked to', async () => {
    writeFileSync(join(cwd, '.env'), 'MAX_BODY_BYTES=1024\n');
    const server = await startTestServer({ cwd, readDotEnv: true });
    try {
      assert.equal((await postSigned(server, big)).status, 413);
    } finally {
      await server.close();
    }
  });

  it("uses the package's templates outside the repository", async () => {
    const server = await startTestServer({ cwd });
    try {
      assert.ok(server.app.cards.names.includes('help'));
    } finally {
      await server.close();
    }
  });

  it('removes its temporary folder when start-up fails', async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('webhook-test-'));
    await assert.rejects(
      startTestServer({ cwd, env: { CARDS_DIR: join(cwd, 'missing') } }),
      /Cannot read the card template folder/,
    );
    const after = readdirSync(tmpdir()).filter((name) => name.startsWith('webhook-test-'));
    assert.deepEqual(
      after.filter((name) => !before.includes(name)),
      [],
    );
    assert.ok(existsSync(cwd));
  });
});
