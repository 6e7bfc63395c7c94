import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { AppPackageError, buildAppPackage, fillManifest } from '../../src/registered/app-package';
import { readPngInfo } from '../../src/registered/png';
import { createToken } from '../../src/testing';
import { TEST_APP_ID } from './helpers';
import { decodePng, encodeOpaquePng, encodePalettePng } from './png-pixels';
import { readZip } from './zip-reader';

const ROOT = process.cwd();
const APP_PACKAGE_DIR = resolve(ROOT, 'appPackage');
const SCHEMA_FILE = resolve(ROOT, 'test/fixtures/schemas/teams-manifest-1.29.schema.json');
const CLI = resolve(ROOT, 'dist/src/cli/package.js');

type Json = Record<string, unknown>;

async function readJson(file: string): Promise<Json> {
  return JSON.parse(await readFile(file, 'utf8')) as Json;
}

async function filledManifest(): Promise<Json> {
  const template = await readFile(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
  return fillManifest(template, { MicrosoftAppId: TEST_APP_ID });
}

/** Compiles the Teams manifest schema offline: draft-04 is built into ajv-draft-04. */
async function compileManifestSchema() {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // The schema's only format; ajv needs a definition for every format it meets.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(await readJson(SCHEMA_FILE));
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((item) => collectRefs(item, refs));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        refs.push(child);
      } else {
        collectRefs(child, refs);
      }
    }
  }
  return refs;
}

describe('Teams app manifest', () => {
  let validate: Awaited<ReturnType<typeof compileManifestSchema>>;

  before(async () => {
    validate = await compileManifestSchema();
  });

  it('passes the 1.29 manifest schema', async () => {
    const manifest = await filledManifest();

    const valid = validate(manifest);

    assert.deepEqual(validate.errors ?? [], []);
    assert.equal(valid, true);
  });

  it('fails the schema with an invalid bot id', async () => {
    const manifest = await filledManifest();
    (manifest.bots as Json[])[0].botId = 'my-bot';

    assert.equal(validate(manifest), false);
    assert.equal(validate.errors?.[0]?.instancePath, '/bots/0/botId');
  });

  it('declares the schema version it is checked against', async () => {
    const schema = await readJson(SCHEMA_FILE);
    const manifest = await filledManifest();
    const properties = schema.properties as Record<string, Json>;

    assert.equal(manifest.manifestVersion, properties.manifestVersion.const);
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${String(manifest.manifestVersion)}` +
        '/MicrosoftTeams.schema.json',
    );
  });

  it('schema copy resolves without the network', async () => {
    const schema = await readJson(SCHEMA_FILE);

    const remoteRefs = collectRefs(schema).filter((ref) => !ref.startsWith('#'));

    assert.deepEqual(remoteRefs, []);
    assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  });

  it('fills the app and bot ids', async () => {
    const manifest = await filledManifest();
    const bot = (manifest.bots as Json[])[0];

    assert.equal(manifest.id, TEST_APP_ID);
    assert.equal(bot.botId, TEST_APP_ID);
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
  });

  it('lists every command the router has', async () => {
    const config = loadConfig({ TEAMS_WEBHOOK_SECRET: createToken() }, { cwd: ROOT });
    const app = createApp(config, createLogger('silent'));
    const manifest = await filledManifest();
    const bot = (manifest.bots as Json[])[0];
    const commandLists = bot.commandLists as { scopes: string[]; commands: Json[] }[];

    const names = app.bot.router.list().map((command) => command.name);

    assert.deepEqual(bot.scopes, ['team', 'groupChat', 'personal']);
    for (const list of commandLists) {
      assert.deepEqual(
        list.commands.map((command) => command.title),
        names,
        `commands for ${list.scopes.join(', ')}`,
      );
    }
  });
});

describe('fillManifest', () => {
  it('escapes values for JSON', () => {
    const manifest = fillManifest('{"name": "${{Name}}"}', { Name: 'say "hi" \\ bye' });

    assert.equal(manifest.name, 'say "hi" \\ bye');
  });

  it('names every missing setting', () => {
    assert.throws(
      () => fillManifest('{"a": "${{First}}", "b": "${{ Second }}"}', {}),
      (error: unknown) =>
        error instanceof AppPackageError && /not set: First, Second\./.test(error.message),
    );
  });

  it('rejects a template that is no JSON', () => {
    assert.throws(
      () => fillManifest('{"id": ${{MicrosoftAppId}}}', { MicrosoftAppId: TEST_APP_ID }),
      (error: unknown) =>
        error instanceof AppPackageError && /^manifest.json is not valid JSON/.test(error.message),
    );
  });
});

describe('app icons', () => {
  it('color icon is 192×192 and opaque', async () => {
    const icon = decodePng(await readFile(join(APP_PACKAGE_DIR, 'color.png')));

    assert.equal(icon.width, 192);
    assert.equal(icon.height, 192);
    if (icon.channels === 4) {
      for (let i = 3; i < icon.pixels.length; i += 4) {
        assert.equal(icon.pixels[i], 255, `pixel ${(i - 3) / 4} is not opaque`);
      }
    }
  });

  it('outline icon is 32×32, white on transparency', async () => {
    const icon = decodePng(await readFile(join(APP_PACKAGE_DIR, 'outline.png')));

    assert.equal(icon.width, 32);
    assert.equal(icon.height, 32);
    assert.equal(icon.channels, 4);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < icon.pixels.length; i += 4) {
      const [red, green, blue, alpha] = icon.pixels.subarray(i, i + 4);
      if (alpha === 0) {
        transparent++;
        continue;
      }
      opaque += alpha === 255 ? 1 : 0;
      assert.deepEqual([red, green, blue], [255, 255, 255], `pixel ${i / 4} is not white`);
    }
    assert.equal(icon.pixels[3], 0, 'the top-left corner is not transparent');
    assert.ok(transparent > 512, `only ${transparent} transparent pixels`);
    assert.ok(opaque > 64, `only ${opaque} opaque pixels`);
  });
});

describe('readPngInfo', () => {
  it('reads size and alpha', () => {
    const info = readPngInfo(encodeOpaquePng(7, [1, 2, 3]));

    assert.equal(info.width, 7);
    assert.equal(info.height, 7);
    assert.equal(info.colorType, 2);
    assert.equal(info.hasAlpha, false);
  });

  it('finds transparency in a tRNS chunk', () => {
    assert.equal(readPngInfo(encodePalettePng(true)).hasAlpha, true);
    assert.equal(readPngInfo(encodePalettePng(false)).hasAlpha, false);
  });

  it('rejects a first chunk other than IHDR', () => {
    const png = encodeOpaquePng(4, [0, 0, 0]);
    png.write('IDAT', 12, 'latin1');

    assert.throws(() => readPngInfo(png), /the first chunk is not a 13-byte IHDR/);
  });

  it('rejects bytes that are no PNG', () => {
    assert.throws(() => readPngInfo(Buffer.from('GIF89a'.padEnd(40, '\0'))), /not a PNG file/);
  });
});

describe('buildAppPackage', () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'app-package-'));
    await cp(APP_PACKAGE_DIR, join(workDir, 'appPackage'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('appPackage', 'build')}`),
    });
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const settings = { MicrosoftAppId: TEST_APP_ID };

  function build(overrides: Partial<{ settings: Record<string, string> }> = {}) {
    return buildAppPackage({
      dir: join(workDir, 'appPackage'),
      settings: overrides.settings ?? settings,
      outFile: join(workDir, 'appPackage', 'build', 'appPackage.zip'),
    });
  }

  it('zips exactly the manifest and icons', async () => {
    const result = await build();

    const archive = await readFile(join(workDir, 'appPackage', 'build', 'appPackage.zip'));
    const entries = readZip(archive);
    assert.deepEqual(
      entries.map((entry) => entry.name),
      ['manifest.json', 'color.png', 'outline.png'],
    );
    assert.deepEqual(result.files, ['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries[0].data.toString('utf8')) as Json;
    assert.equal(manifest.id, TEST_APP_ID);
    assert.deepEqual(manifest, result.manifest);
    for (const entry of entries.slice(1)) {
      const original = await readFile(join(APP_PACKAGE_DIR, entry.name));
      assert.ok(entry.data.equals(original), `${entry.name} differs from appPackage/`);
    }
  });

  it('zips icons of the right sizes', async () => {
    await build();

    const archive = await readFile(join(workDir, 'appPackage', 'build', 'appPackage.zip'));
    const icons = Object.fromEntries(
      readZip(archive).map((entry) => [entry.name, entry.data] as const),
    );
    assert.equal(icons['color.png'].readUInt32BE(16), 192);
    assert.equal(icons['color.png'].readUInt32BE(20), 192);
    assert.equal(icons['outline.png'].readUInt32BE(16), 32);
    assert.equal(icons['outline.png'].readUInt32BE(20), 32);
  });

  it('rejects an app id that is no GUID', async () => {
    await assert.rejects(build({ settings: { MicrosoftAppId: 'helper-bot' } }), /GUID/);
  });

  it('rejects a color icon of the wrong size', async () => {
    await cp(join(workDir, 'appPackage', 'outline.png'), join(workDir, 'appPackage', 'color.png'));

    await assert.rejects(build(), /color\.png is 32×32 pixels; Teams requires 192×192\./);
  });

  it('rejects an outline icon without transparency', async () => {
    await writeFile(
      join(workDir, 'appPackage', 'outline.png'),
      encodeOpaquePng(32, [255, 255, 255]),
    );

    await assert.rejects(build(), /outline\.png has no transparency/);
  });

  it('rejects an icon that is no PNG', async () => {
    await writeFile(
      join(workDir, 'appPackage', 'color.png'),
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
    );

    await assert.rejects(build(), /color\.png is not a PNG file/);
  });

  it('rejects an icon in a subfolder', async () => {
    const file = join(workDir, 'appPackage', 'manifest.json');
    const template = await readFile(file, 'utf8');
    await writeFile(file, template.replace('"color.png"', '"icons/color.png"'));

    await assert.rejects(build(), /icons\.color must name a PNG file beside manifest\.json/);
  });

  it('rejects a missing icon file', async () => {
    await rm(join(workDir, 'appPackage', 'outline.png'));

    await assert.rejects(build(), /Cannot read .*outline\.png \(ENOENT\)/);
  });
});

describe('npm run package', () => {
  const run = promisify(execFile);
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'package-cli-'));
    await cp(APP_PACKAGE_DIR, join(workDir, 'appPackage'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('appPackage', 'build')}`),
    });
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  function runCli(env: NodeJS.ProcessEnv) {
    return run(process.execPath, [CLI], { cwd: workDir, env: { PATH: process.env.PATH, ...env } });
  }

  it('writes the zip with MicrosoftAppId from .env', async () => {
    await writeFile(join(workDir, '.env'), `MicrosoftAppId=${TEST_APP_ID}\n`);

    const { stdout } = await runCli({});

    assert.match(stdout, /^Wrote appPackage\/build\/appPackage\.zip \(manifest\.json, color\.png/);
    const archive = await readFile(join(workDir, 'appPackage', 'build', 'appPackage.zip'));
    assert.equal(readZip(archive).length, 3);
  });

  it('exits 1 without MicrosoftAppId', async () => {
    await assert.rejects(runCli({}), (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /^MicrosoftAppId is not set\./);
      return true;
    });
  });
});
