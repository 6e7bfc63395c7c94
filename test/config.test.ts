import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const tokenA = Buffer.alloc(32, 1).toString('base64');
const tokenB = Buffer.alloc(32, 2).toString('base64');

describe('loadConfig', () => {
  let cwd: string;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'config-test-'));
  });

  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  function load(env: NodeJS.ProcessEnv) {
    return loadConfig(env, { cwd });
  }

  function assertConfigError(env: NodeJS.ProcessEnv, pattern: RegExp, secret?: string) {
    assert.throws(
      () => load(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, pattern);
        if (secret !== undefined) {
          assert.ok(!error.message.includes(secret), 'the message must not contain the value');
        }
        return true;
      },
    );
  }

  it('uses the defaults', () => {
    const config = load({ TEAMS_WEBHOOK_SECRET: tokenA });
    assert.equal(config.port, 3978);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.maxBodyBytes, 262144);
    assert.equal(config.replayWindowSeconds, 300);
    assert.equal(config.replyBudgetMs, 4000);
    assert.equal(config.maxReplyBytes, 28000);
    assert.equal(config.maxCardVersion, '1.4');
    assert.equal(config.cardsDir, join(cwd, 'cards'));
    assert.equal(config.records.databasePath, join(cwd, 'data', 'records.db'));
    assert.equal(config.botFramework, undefined);
    assert.equal(config.developmentKeyFile, undefined);
  });

  it('gives TEAMS_WEBHOOK_SECRET the id default', () => {
    const config = load({ TEAMS_WEBHOOK_SECRET: ` ${tokenA} ` });
    assert.deepEqual(config.webhookKeys, [
      { webhookId: 'default', key: Buffer.from(tokenA, 'base64') },
    ]);
  });

  it('reads several webhooks and keeps both tokens of a rotated id', () => {
    const config = load({
      TEAMS_WEBHOOK_SECRET: tokenA,
      TEAMS_WEBHOOK_SECRETS: ` contoso:${tokenA}, fabrikam:${tokenB},contoso:${tokenB},`,
    });
    assert.deepEqual(
      config.webhookKeys.map((key) => [key.webhookId, key.key.toString('base64')]),
      [
        ['default', tokenA],
        ['contoso', tokenA],
        ['fabrikam', tokenB],
        ['contoso', tokenB],
      ],
    );
  });

  const badTokens: [string, string][] = [
    ['not base64', 'this is not base64!!'],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['missing padding', tokenA.replace(/=$/, '')],
  ];
  for (const [name, token] of badTokens) {
    it(`rejects a token that is ${name}, naming the variable and id`, () => {
      assertConfigError(
        { TEAMS_WEBHOOK_SECRET: token },
        /TEAMS_WEBHOOK_SECRET has an invalid token for webhook "default"/,
        token,
      );
      assertConfigError(
        { TEAMS_WEBHOOK_SECRETS: `contoso:${token}` },
        /TEAMS_WEBHOOK_SECRETS has an invalid token for webhook "contoso"/,
        token,
      );
    });
  }

  it('rejects an entry without an id', () => {
    assertConfigError(
      { TEAMS_WEBHOOK_SECRETS: tokenA },
      /entry 1 is not in the form id:token/,
      tokenA,
    );
  });

  it('rejects an invalid webhook id', () => {
    assertConfigError({ TEAMS_WEBHOOK_SECRETS: `a b:${tokenA}` }, /invalid webhook id "a b"/);
  });

  it('refuses to start in production without a token', () => {
    assertConfigError({ NODE_ENV: 'production' }, /Set TEAMS_WEBHOOK_SECRET/);
  });

  it('generates a development key once and reuses it', () => {
    const first = load({});
    const file = join(cwd, 'data', 'dev-webhook-secret');
    assert.equal(first.developmentKeyFile, file);
    assert.equal(first.webhookKeys.length, 1);
    assert.equal(first.webhookKeys[0].webhookId, 'default');
    assert.equal(readFileSync(file, 'utf8').trim(), first.webhookKeys[0].key.toString('base64'));
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const second = load({});
    assert.deepEqual(second.webhookKeys, first.webhookKeys);
  });

  it('names DEV_WEBHOOK_KEY_FILE when the key file cannot be read', () => {
    assertConfigError(
      { DEV_WEBHOOK_KEY_FILE: cwd },
      /cannot be read or written \(EISDIR\)\. Set DEV_WEBHOOK_KEY_FILE/,
    );
  });

  it('rejects a damaged development key file', () => {
    load({});
    writeFileSync(join(cwd, 'data', 'dev-webhook-secret'), 'garbage\n');
    assertConfigError({}, /development key file .* invalid token/);
  });

  it('reads .env and lets the environment override it', () => {
    writeFileSync(
      join(cwd, '.env'),
      `PORT=4000\nLOG_LEVEL=debug\nTEAMS_WEBHOOK_SECRET=${tokenA}\n`,
    );
    const config = load({ PORT: '5000' });
    assert.equal(config.port, 5000);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.webhookKeys[0].key.toString('base64'), tokenA);
  });

  const badNumbers: [string, string, RegExp][] = [
    ['PORT', 'eighty', /PORT must be a whole number from 0 to 65535/],
    ['PORT', '70000', /PORT must be a whole number/],
    ['MAX_BODY_BYTES', '1.5', /MAX_BODY_BYTES must be a whole number/],
    ['REPLAY_WINDOW_SECONDS', '-1', /REPLAY_WINDOW_SECONDS must be a whole number/],
    ['REPLY_BUDGET_MS', '60000', /REPLY_BUDGET_MS must be a whole number from 100 to 10000/],
  ];
  for (const [name, value, pattern] of badNumbers) {
    it(`rejects ${name}=${value}`, () => {
      assertConfigError({ TEAMS_WEBHOOK_SECRET: tokenA, [name]: value }, pattern);
    });
  }

  it('rejects an unknown log level', () => {
    assertConfigError(
      { TEAMS_WEBHOOK_SECRET: tokenA, LOG_LEVEL: 'loud' },
      /LOG_LEVEL must be one of/,
    );
  });

  it('lower-cases allow-lists', () => {
    const config = load({
      TEAMS_WEBHOOK_SECRET: tokenA,
      ALLOWED_TENANT_IDS: ' AAA-1 ,bbb-2,,',
      ALLOWED_USER_IDS: 'CCC',
    });
    assert.deepEqual(config.allowedTenantIds, ['aaa-1', 'bbb-2']);
    assert.deepEqual(config.allowedUserIds, ['ccc']);
  });

  it('reads tokens from TEAMS_WEBHOOK_SECRETS_FILE', () => {
    const file = join(cwd, 'secrets');
    writeFileSync(file, `# rotated in May\ncontoso:${tokenA}\n\ncontoso:${tokenB}\n`);
    const config = load({ TEAMS_WEBHOOK_SECRETS_FILE: file });
    assert.deepEqual(
      config.webhookKeys.map((key) => key.webhookId),
      ['contoso', 'contoso'],
    );
    assert.equal(config.developmentKeyFile, undefined);
  });

  it('names the line of a bad secrets file entry', () => {
    const file = join(cwd, 'secrets');
    writeFileSync(file, `# comment\ncontoso:${tokenA}\nbroken\n`);
    assertConfigError({ TEAMS_WEBHOOK_SECRETS_FILE: file }, /entry 3 is not in the form id:token/);
  });

  it('rejects a missing secrets file', () => {
    assertConfigError(
      { TEAMS_WEBHOOK_SECRETS_FILE: join(cwd, 'nope') },
      /TEAMS_WEBHOOK_SECRETS_FILE cannot be read \(ENOENT\)/,
    );
  });

  it('requires RECORDS_EVENT_SECRET with RECORDS_EVENT_URL', () => {
    assertConfigError(
      { TEAMS_WEBHOOK_SECRET: tokenA, RECORDS_EVENT_URL: 'http://127.0.0.1:9/events' },
      /Set RECORDS_EVENT_SECRET/,
    );
  });

  it('rejects a records URL that is not http or https', () => {
    assertConfigError(
      { TEAMS_WEBHOOK_SECRET: tokenA, RECORDS_APP_URL: 'ftp://x' },
      /RECORDS_APP_URL must be an absolute http or https URL/,
    );
  });

  it('passes botbuilder settings through when MicrosoftAppId is set', () => {
    const config = load({
      TEAMS_WEBHOOK_SECRET: tokenA,
      MicrosoftAppId: 'app-id',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
      Unrelated: 'x',
    });
    assert.deepEqual(config.botFramework, {
      MicrosoftAppId: 'app-id',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
    });
  });

  it('rejects an invalid card version and boolean', () => {
    assertConfigError({ TEAMS_WEBHOOK_SECRET: tokenA, MAX_CARD_VERSION: '2' }, /MAX_CARD_VERSION/);
    assertConfigError(
      { TEAMS_WEBHOOK_SECRET: tokenA, WATCH_CARDS: 'maybe' },
      /WATCH_CARDS must be true or false/,
    );
  });
});
