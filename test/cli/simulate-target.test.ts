import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEAMS_REPLY_BUDGET_MS, type SimulateOptions } from '../../src/cli/simulate-args';
import { resolveTarget, TargetError, type ReadConfig } from '../../src/cli/simulate-target';
import { loadConfig } from '../../src/config';
import { createToken } from '../../src/testing/signing';

function options(overrides: Partial<SimulateOptions> = {}): SimulateOptions {
  return {
    message: 'echo',
    budgetMs: TEAMS_REPLY_BUDGET_MS,
    json: false,
    check: false,
    ...overrides,
  };
}

describe('resolveTarget', () => {
  let folder: string;
  let readCount: number;

  /** Reads settings from `env` in a fresh folder, as the simulator reads them from process.env. */
  function settingsFrom(env: NodeJS.ProcessEnv): ReadConfig {
    return (token) => {
      readCount += 1;
      const vars = token === undefined ? env : { ...env, TEAMS_WEBHOOK_SECRET: token };
      return loadConfig(vars, { cwd: folder });
    };
  }

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'simulate-target-'));
    readCount = 0;
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('targets the local server with the configured token', () => {
    const token = createToken();
    const target = resolveTarget(
      options(),
      settingsFrom({ PORT: '4001', TEAMS_WEBHOOK_SECRET: token }),
    );

    assert.deepEqual(target, {
      url: 'http://127.0.0.1:4001/api/webhook',
      token,
      tokenSource: 'the token of webhook "default" from the settings',
      webhookId: undefined,
    });
  });

  it('uses the default port 3978', () => {
    const target = resolveTarget(options(), settingsFrom({ TEAMS_WEBHOOK_SECRET: createToken() }));

    assert.equal(target.url, 'http://127.0.0.1:3978/api/webhook');
  });

  it('connects to a specific listen address', () => {
    const ipv4 = resolveTarget(
      options(),
      settingsFrom({ HOST: '10.1.2.3', TEAMS_WEBHOOK_SECRET: createToken() }),
    );
    const ipv6 = resolveTarget(
      options(),
      settingsFrom({ HOST: '::1', TEAMS_WEBHOOK_SECRET: createToken() }),
    );
    const wildcard = resolveTarget(
      options(),
      settingsFrom({ HOST: '::', TEAMS_WEBHOOK_SECRET: createToken() }),
    );

    assert.equal(ipv4.url, 'http://10.1.2.3:3978/api/webhook');
    assert.equal(ipv6.url, 'http://[::1]:3978/api/webhook');
    assert.equal(wildcard.url, 'http://127.0.0.1:3978/api/webhook');
  });

  it('uses the development key when no token is set', () => {
    const target = resolveTarget(options(), settingsFrom({}));
    const config = loadConfig({}, { cwd: folder });

    assert.equal(target.token, config.webhookKeys[0].key.toString('base64'));
    assert.equal(
      target.tokenSource,
      `the development key in ${join(folder, 'data/dev-webhook-secret')}`,
    );
  });

  it('reads no settings when both options are given', () => {
    const token = createToken();
    const target = resolveTarget(
      options({ url: 'http://127.0.0.1:5000/api/webhook', token }),
      settingsFrom({ LOG_LEVEL: 'invalid' }),
    );

    assert.equal(readCount, 0);
    assert.equal(target.token, token);
    assert.equal(target.tokenSource, 'the --token option');
  });

  it('reads only the port with --token', () => {
    const token = createToken();
    const target = resolveTarget(
      options({ token }),
      settingsFrom({ NODE_ENV: 'production', PORT: '4002' }),
    );

    assert.equal(target.url, 'http://127.0.0.1:4002/api/webhook');
    assert.equal(target.token, token);
  });

  it('picks the token of --webhook-id', () => {
    const contoso = createToken();
    const target = resolveTarget(
      options({ webhookId: 'contoso' }),
      settingsFrom({
        TEAMS_WEBHOOK_SECRET: createToken(),
        TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}`,
      }),
    );

    assert.equal(target.url, 'http://127.0.0.1:3978/api/webhook/contoso');
    assert.equal(target.token, contoso);
    assert.equal(target.webhookId, 'contoso');
    assert.equal(target.tokenSource, 'the token of webhook "contoso" from the settings');
  });

  it('signs with the newest of rotated tokens', () => {
    const [older, newer] = [createToken(), createToken()];
    const target = resolveTarget(
      options({ webhookId: 'contoso' }),
      settingsFrom({ TEAMS_WEBHOOK_SECRETS: `contoso:${older},contoso:${newer}` }),
    );

    assert.equal(target.token, newer);
  });

  it('takes the webhook id from the URL path', () => {
    const contoso = createToken();
    const target = resolveTarget(
      options({ url: 'https://bot.example.com/api/webhook/contoso' }),
      settingsFrom({ TEAMS_WEBHOOK_SECRETS: `contoso:${contoso},other:${createToken()}` }),
    );

    assert.equal(target.url, 'https://bot.example.com/api/webhook/contoso');
    assert.equal(target.webhookId, 'contoso');
    assert.equal(target.token, contoso);
  });

  it('takes the webhook id from the query', () => {
    const contoso = createToken();
    const target = resolveTarget(
      options({ url: 'https://bot.example.com/hooks?id=contoso' }),
      settingsFrom({ TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}` }),
    );

    assert.equal(target.webhookId, 'contoso');
    assert.equal(target.token, contoso);
  });

  it('adds --webhook-id as a query to other paths', () => {
    const target = resolveTarget(
      options({ url: 'https://bot.example.com/hooks', webhookId: 'contoso', token: createToken() }),
      settingsFrom({}),
    );

    assert.equal(target.url, 'https://bot.example.com/hooks?id=contoso');
  });

  it('uses the only configured webhook', () => {
    const contoso = createToken();
    const target = resolveTarget(
      options(),
      settingsFrom({ TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}` }),
    );

    assert.equal(target.token, contoso);
    assert.equal(target.url, 'http://127.0.0.1:3978/api/webhook');
  });

  const failures: [string, Partial<SimulateOptions>, NodeJS.ProcessEnv, RegExp][] = [
    [
      'a missing production token',
      {},
      { NODE_ENV: 'production' },
      /^Cannot read the settings: No webhook token is configured\. Set TEAMS_WEBHOOK_SECRET.*Or pass the token with --token\.$/,
    ],
    [
      'an invalid setting',
      {},
      { LOG_LEVEL: 'loud' },
      /^Cannot read the settings: LOG_LEVEL must be one of/,
    ],
    [
      'an unknown webhook id',
      { webhookId: 'fabrikam' },
      { TEAMS_WEBHOOK_SECRETS: `contoso:${createToken()}` },
      /^No token for webhook "fabrikam" in the settings \(configured webhook ids: contoso\)\. Add fabrikam:<token> to TEAMS_WEBHOOK_SECRETS/,
    ],
    [
      'several webhooks without default',
      {},
      { TEAMS_WEBHOOK_SECRETS: `a:${createToken()},b:${createToken()}` },
      /^Several webhooks are configured \(a, b\) and none is "default"\. Pick one with --webhook-id\.$/,
    ],
    [
      'ids that disagree',
      { url: 'http://127.0.0.1:1/api/webhook/a', webhookId: 'b' },
      {},
      /^--webhook-id "b" does not match the webhook id "a" in --url/,
    ],
    ['port 0', {}, { PORT: '0', TEAMS_WEBHOOK_SECRET: createToken() }, /^PORT is 0.*--url/],
  ];

  for (const [name, overrides, env, message] of failures) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => resolveTarget(options(overrides), settingsFrom(env)),
        (error: Error) => {
          assert.ok(error instanceof TargetError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
