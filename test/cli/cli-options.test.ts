import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'src', 'cli');

function run(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(CLI, script), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('command-line options', () => {
  for (const script of ['bench.js', 'load-test.js', 'cards-check.js', 'cards-preview.js']) {
    it(`${script} prints help and exits 0`, () => {
      const result = run(script, ['--help']);
      assert.equal(result.status, 0);
      assert.match(result.stdout, /^Usage: npm run /);
    });

    it(`${script} rejects an unknown option with exit 2`, () => {
      const result = run(script, ['--no-such-option']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /Unknown option '--no-such-option'/);
      assert.match(result.stderr, /Usage: npm run /);
    });
  }

  for (const [option, value] of [
    ['--seconds', 'abc'],
    ['--seconds', '0'],
    ['--connections', '-3'],
    ['--starts', '1.5'],
  ]) {
    it(`bench rejects ${option} ${value}`, () => {
      const result = run('bench.js', [`${option}=${value}`]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, new RegExp(`Invalid ${option} "${value.replace('.', '\\.')}"`));
    });
  }
});
