import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPreviews } from '../../src/cards/card-preview';
import { DEBIAN_CHROMIUM } from '../../src/cards/headless-chromium';
import {
  buildPreviewPage,
  PREVIEW_CARD_WIDTH,
  PREVIEW_MARGIN,
  renderTeamsMarkdown,
  withPlaceholderImages,
} from '../../src/cards/preview-page';
import { SHIPPED_CARDS_DIR } from './card-fixtures';

/** Reads the width and height from a PNG file's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('renderTeamsMarkdown', () => {
  const cases: [string, string][] = [
    ['plain & <b>', '<p>plain &amp; &lt;b&gt;</p>'],
    [
      '**bold** and _italic_ and *also*',
      '<p><strong>bold</strong> and <em>italic</em> and <em>also</em></p>',
    ],
    [
      '[docs](https://example.com/a?b=1&c=2)',
      '<p><a href="https://example.com/a?b=1&amp;c=2">docs</a></p>',
    ],
    ['[bad](javascript:alert(1))', '<p>[bad](javascript:alert(1))</p>'],
    ['- one\n- two', '<ul><li>one</li><li>two</li></ul>'],
    ['1. one\n2. two', '<ol><li>one</li><li>two</li></ol>'],
    ['first\n\nsecond\nline', '<p>first</p><p>second<br>line</p>'],
    ['snake_case_name stays', '<p>snake_case_name stays</p>'],
  ];

  for (const [markdown, html] of cases) {
    it(`converts ${JSON.stringify(markdown)}`, () => {
      assert.equal(renderTeamsMarkdown(markdown), html);
    });
  }
});

describe('withPlaceholderImages', () => {
  it('replaces every image URL', () => {
    const card = {
      type: 'AdaptiveCard',
      backgroundImage: 'https://example.com/bg.png',
      body: [
        { type: 'Image', url: 'https://cdn.example.com/a.png' },
        { type: 'Media', poster: 'https://example.com/p.png', sources: [] },
        { type: 'TextBlock', text: 'https://example.com/not-an-image' },
      ],
      actions: [
        { type: 'Action.OpenUrl', url: 'https://example.com', iconUrl: 'https://e.com/i.png' },
      ],
    };
    const replaced = JSON.stringify(withPlaceholderImages(card));
    const urls = replaced.match(/https:\/\/[^"]*/g) ?? [];
    assert.deepEqual(urls, ['https://example.com/not-an-image', 'https://example.com']);
    assert.equal(replaced.match(/data:image\/svg\+xml;base64,/g)?.length, 4);
  });
});

describe('buildPreviewPage', () => {
  it('embeds cards safely', () => {
    const page = buildPreviewPage(
      { hostile: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '</script><b>' }] } },
      'dark',
    );
    assert.equal(page.includes('</script><b>'), false);
    assert.match(page, /\\u003c\/script>\\u003cb>/);
    assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
  });
});

describe('renderPreviews', () => {
  it('rejects an unknown template name', async () => {
    await assert.rejects(
      renderPreviews({ cardsDir: SHIPPED_CARDS_DIR, outputDir: tmpdir(), names: ['nope'] }),
      { name: 'CardTemplateError', message: /No card template named "nope"/ },
    );
  });

  describe('with Chromium', () => {
    let outputDir: string | undefined;

    before(function () {
      if (!existsSync(DEBIAN_CHROMIUM)) {
        process.stdout.write(
          `      skipped: ${DEBIAN_CHROMIUM} is missing. ` +
            'Install it with scripts/install-preview-deps.sh.\n',
        );
        this.skip();
      }
      outputDir = mkdtempSync(join(tmpdir(), 'cards-preview-'));
    });

    after(() => {
      if (outputDir !== undefined) {
        rmSync(outputDir, { recursive: true, force: true });
      }
    });

    it('draws a card in both themes', async function () {
      this.timeout(60_000);
      const dir = outputDir as string;
      const images = await renderPreviews({
        cardsDir: SHIPPED_CARDS_DIR,
        outputDir: dir,
        names: ['help'],
      });
      assert.deepEqual(
        images.map((image) => image.file),
        [join(dir, 'help.light.png'), join(dir, 'help.dark.png')],
      );

      const light = pngSize(images[0].file);
      assert.equal(light.width, PREVIEW_CARD_WIDTH + 2 * PREVIEW_MARGIN);
      assert.ok(light.height > 100, `height ${light.height}`);
      assert.ok(light.height < 400, `height ${light.height}`);
      assert.deepEqual(pngSize(images[1].file), light);
      assert.notDeepEqual(readFileSync(images[0].file), readFileSync(images[1].file));
    });
  });
});
