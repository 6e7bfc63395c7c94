import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { card, makeCardFolder, SHIPPED_CARDS_DIR, type TempCardFolder } from './card-fixtures';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'cards-check.js');

function runCheck(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cards:check command', () => {
  let folder: TempCardFolder;

  beforeEach(() => {
    folder = makeCardFolder();
  });

  afterEach(() => folder.remove());

  it('passes the shipped cards', () => {
    const result = runCheck([], { CARDS_DIR: SHIPPED_CARDS_DIR });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /^cards:check: 8 template\(s\) in .* passed \(version 1\.4 or lower, replies up to 28000 bytes\)\.\n$/,
    );
  });

  it('prints one line per problem and fails', () => {
    folder.write(
      'bad.json',
      card([{ type: 'Image', url: 'http://e.com/a.png' }], {
        actions: [{ type: 'Action.Submit', title: 'Go' }],
      }),
    );
    folder.write('bad.data.json', {});
    const file = join(folder.dir, 'bad.json');

    const result = runCheck([folder.dir]);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      `${file} $.actions[0]: the action type "Action.Submit" does not work in an outgoing-webhook ` +
        'reply: Teams runs only Action.OpenUrl there, because the webhook has no bot to receive ' +
        'the action. Fix: Replace it with an Action.OpenUrl to a page that does the work, or ' +
        'remove it.',
      `${file} $.body[0].url: the image URL "http://e.com/a.png" is not an absolute https URL. ` +
        'Fix: Host the image on an https server and use its full https:// URL.',
    ]);
    assert.match(result.stderr, /cards:check found 2 problem\(s\)/);
  });

  it('reads the maximum version from the settings', () => {
    folder.write('new.json', { ...card([]), version: '1.5' });
    folder.write('new.data.json', {});
    assert.equal(runCheck([folder.dir]).status, 1);
    assert.equal(runCheck([folder.dir], { MAX_CARD_VERSION: '1.5' }).status, 0);
  });

  it('rejects invalid settings', () => {
    const result = runCheck([folder.dir], { MAX_REPLY_BYTES: 'lots' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Configuration error: MAX_REPLY_BYTES must be a whole number/);
  });
});
