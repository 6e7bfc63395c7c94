import assert from 'node:assert/strict';
import {
  parseSimulateArgs,
  SIMULATE_HELP,
  TEAMS_REPLY_BUDGET_MS,
  UsageError,
  type SimulateOptions,
} from '../../src/cli/simulate-args';
import { createToken } from '../../src/testing/signing';

function optionsOf(args: string[]): SimulateOptions {
  const commandLine = parseSimulateArgs(args);
  assert.equal(commandLine.help, false);
  return commandLine.options;
}

describe('parseSimulateArgs', () => {
  it('reads the message with defaults', () => {
    assert.deepEqual(optionsOf(['echo hello']), {
      message: 'echo hello',
      url: undefined,
      webhookId: undefined,
      token: undefined,
      webhookName: undefined,
      senderName: undefined,
      senderAadObjectId: undefined,
      teamId: undefined,
      channelId: undefined,
      tenantId: undefined,
      threadRootId: undefined,
      budgetMs: TEAMS_REPLY_BUDGET_MS,
      json: false,
      check: false,
    });
  });

  it('joins several words into one message', () => {
    assert.equal(optionsOf(['echo', 'hello', 'there']).message, 'echo hello there');
  });

  it('accepts an empty message', () => {
    assert.equal(optionsOf(['']).message, '');
  });

  it('reads every option', () => {
    const token = createToken();
    const options = optionsOf([
      '--url',
      'https://bot.example.com/api/webhook',
      '--webhook-id',
      'contoso',
      '--token',
      token,
      '--webhook-name',
      'Records',
      '--sender',
      'Kim Tester',
      '--sender-id',
      'AAAAAAAA-0000-4000-8000-000000000001',
      '--team',
      '19:team@thread.tacv2',
      '--channel',
      '19:channel@thread.tacv2',
      '--tenant',
      'tenant-1',
      '--thread',
      '1715678493123',
      '--budget',
      '2000',
      '--json',
      '--check',
      'whoami',
    ]);

    assert.deepEqual(options, {
      message: 'whoami',
      url: 'https://bot.example.com/api/webhook',
      webhookId: 'contoso',
      token,
      webhookName: 'Records',
      senderName: 'Kim Tester',
      senderAadObjectId: 'AAAAAAAA-0000-4000-8000-000000000001',
      teamId: '19:team@thread.tacv2',
      channelId: '19:channel@thread.tacv2',
      tenantId: 'tenant-1',
      threadRootId: '1715678493123',
      budgetMs: 2000,
      json: true,
      check: true,
    });
  });

  it('derives a sender id from --sender', () => {
    const kim = optionsOf(['--sender', 'Kim Berg', 'echo']).senderAadObjectId;
    const lee = optionsOf(['--sender', 'Lee Park', 'echo']).senderAadObjectId;

    assert.match(
      kim ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(optionsOf(['--sender', 'Kim Berg', 'echo']).senderAadObjectId, kim);
    assert.notEqual(lee, kim);
  });

  it('keeps the default id for the default sender', () => {
    assert.equal(
      optionsOf(['--sender', 'Sam Rivera', 'echo']).senderAadObjectId,
      '11111111-2222-4333-8444-555555555555',
    );
  });

  it('returns help for --help and -h', () => {
    assert.deepEqual(parseSimulateArgs(['--help']), { help: true });
    assert.deepEqual(parseSimulateArgs(['-h', 'echo']), { help: true });
  });

  it('documents every option in the help', () => {
    const options = ['--url', '--webhook-id', '--token', '--webhook-name', '--sender'];
    options.push('--sender-id', '--team');
    options.push('--channel', '--tenant', '--thread', '--budget', '--json', '--check', '--help');

    for (const option of options) {
      assert.ok(SIMULATE_HELP.includes(option), option);
    }
  });

  const rejected: [string, string[], RegExp][] = [
    ['a missing message', [], /^Missing the message to send\. Example: npm run simulate/],
    ['an unknown option', ['--port', '1', 'echo'], /'--port'.*Run with --help/],
    ['a missing value', ['echo', '--url'], /--url.*Run with --help/],
    ['a relative URL', ['--url', '/api/webhook', 'echo'], /^Invalid --url "\/api\/webhook"/],
    ['a non-HTTP URL', ['--url', 'ftp://host/x', 'echo'], /only http and https URLs/],
    [
      'a bad webhook id',
      ['--webhook-id', 'a b', 'echo'],
      /^Invalid --webhook-id "a b": use 1 to 64/,
    ],
    ['a short token', ['--token', 'c2hvcnQ=', 'echo'], /^Invalid --token: expected the base64/],
    ['an empty sender', ['--sender', ' ', 'echo'], /^Invalid --sender: the value is empty/],
    [
      'a sender id that is no GUID',
      ['--sender-id', '29:1abc', 'echo'],
      /^Invalid --sender-id "29:1abc": expected an AAD object id, which is a GUID such as /,
    ],
    ['a bad thread id', ['--thread', '19:x', 'echo'], /^Invalid --thread "19:x"/],
    ['a zero budget', ['--budget', '0', 'echo'], /^Invalid --budget "0": expected whole/],
    ['a fractional budget', ['--budget', '1.5', 'echo'], /^Invalid --budget "1\.5"/],
    ['a huge budget', ['--budget', '60001', 'echo'], /from 1 to 60000/],
  ];

  for (const [name, args, message] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parseSimulateArgs(args),
        (error: Error) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('keeps the token out of its error', () => {
    const badToken = 'c2VjcmV0LXRva2VuLXZhbHVl';

    assert.throws(
      () => parseSimulateArgs(['--token', badToken, 'echo']),
      (error: Error) => !error.message.includes(badToken),
    );
  });
});
