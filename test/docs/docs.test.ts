import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as kit from '../../src/testing';

const DOCUMENTS = ['README.md', ...readdirSync('docs').map((name) => join('docs', name))].filter(
  (file) => file.endsWith('.md'),
);

/** Settings of hosting platforms that docs may name; every other setting must be the service's. */
const PLATFORM_SETTINGS = ['WEBSITES_PORT'];

function read(file: string): string {
  return readFileSync(resolve(file), 'utf8');
}

/** Returns the code spans of a Markdown text, without their backticks. */
function codeSpans(markdown: string): string[] {
  const withoutBlocks = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return [...withoutBlocks.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
}

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

describe('documentation', () => {
  it('finds the documents', () => {
    assert.ok(DOCUMENTS.includes('README.md'));
    assert.ok(DOCUMENTS.includes(join('docs', 'handlers.md')));
    assert.ok(DOCUMENTS.includes(join('docs', 'deployment.md')));
  });

  it('quotes whoami in the handler guide', () => {
    assert.ok(read('docs/handlers.md').includes('<!-- snippet: src/bot/commands/whoami.ts -->'));
  });

  for (const document of DOCUMENTS) {
    describe(document, () => {
      const markdown = read(document);

      it('quotes source files exactly', () => {
        const snippets = [
          ...markdown.matchAll(/<!-- snippet: (\S+) -->\s*```\w*\n([\s\S]*?)^```$/gm),
        ];
        for (const [, file, code] of snippets) {
          assert.equal(code, read(file), `${document} quotes ${file} differently`);
        }
        const markers = markdown.match(/<!-- snippet:/g) ?? [];
        assert.equal(
          snippets.length,
          markers.length,
          'a snippet marker has no code block after it',
        );
      });

      it('names files that exist', () => {
        const paths = codeSpans(markdown).filter(
          (span) => /^(src|test|cards|docs)\/[\w./-]+$/.test(span) && !span.endsWith('/'),
        );
        for (const path of paths) {
          assert.ok(existsSync(resolve(path)), `${document} names ${path}, which does not exist`);
        }
      });

      it('links to files that exist', () => {
        const links = [...markdown.matchAll(/\]\(([^)#\s]+)\)/g)].map((match) => match[1]);
        for (const link of links.filter((target) => !/^[a-z]+:/.test(target))) {
          const target = join(document, '..', link);
          assert.ok(existsSync(resolve(target)), `${document} links to missing ${link}`);
        }
      });

      it('runs npm scripts that exist', () => {
        const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
        const names = [...markdown.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
        for (const name of names) {
          assert.ok(name in scripts, `${document} runs "npm run ${name}", which is not a script`);
        }
      });

      it('names settings the service reads', () => {
        const known = read('.env.example') + read('src/config.ts');
        const settings = codeSpans(markdown)
          .map((span) => span.split('=')[0])
          .filter((name) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(name));
        for (const name of settings.filter((setting) => !PLATFORM_SETTINGS.includes(setting))) {
          assert.ok(
            known.includes(name),
            `${document} names ${name}, which the service does not read`,
          );
        }
      });

      it('imports only what the test kit exports', () => {
        const imports = codeBlocks(markdown).flatMap((code) => [
          ...code.matchAll(/import \{([^}]+)\} from 'teams-outgoing-webhook\/testing'/g),
        ]);
        for (const [, list] of imports) {
          for (const name of list
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)) {
            assert.ok(
              name in kit,
              `${document} imports ${name}, which the test kit does not export`,
            );
          }
        }
      });
    });
  }

  it('gives the two quick-start commands', () => {
    const quickStart = read('README.md').split('## Quick start')[1].split('\n## ')[0];
    const commands = codeBlocks(quickStart).map((code) => code.trim());

    assert.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm test']);
  });
});
