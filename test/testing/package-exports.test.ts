import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const packageJson = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};

describe('package exports', () => {
  it('resolves <name>/testing to the compiled kit', () => {
    const file = require.resolve(`${packageJson.name}/testing`);

    assert.equal(file, resolve('dist/src/testing/index.js'));
  });

  it('exports the kit functions', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kit = require(`${packageJson.name}/testing`) as Record<string, unknown>;
    const names = [
      'authorizationFor',
      'buildMessageActivity',
      'buildThreadReply',
      'createToken',
      'findReplyProblems',
      'formatReplySummary',
      'postSigned',
      'sendMention',
      'startTestServer',
      'summarizeReply',
      'toRequestBody',
    ];

    for (const name of names) {
      assert.equal(typeof kit[name], 'function', name);
    }
  });

  it('resolves the package to the compiled entry', () => {
    assert.equal(require.resolve(packageJson.name), resolve('dist/src/index.js'));
  });

  it('points the types at declaration files', () => {
    for (const [path, target] of Object.entries(packageJson.exports)) {
      if (typeof target === 'object' && target !== null) {
        const { types, default: entry } = target as { types: string; default: string };
        assert.equal(types, entry.replace(/\.js$/, '.d.ts'), path);
        assert.ok(readFileSync(resolve(types), 'utf8').length > 0, types);
      }
    }
  });

  it('hides modules outside the exports map', () => {
    assert.throws(() => require.resolve(`${packageJson.name}/dist/src/app.js`), {
      code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  });
});
