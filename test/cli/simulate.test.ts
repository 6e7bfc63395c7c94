import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from '../../src/bot/command';
import { createToken } from '../../src/testing/signing';
import { startTestServer, type TestServer } from '../../src/testing/test-server';

const SIMULATE = resolve('dist/src/cli/simulate.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled simulator in `cwd` with only PATH and `env` set, so neither the developer's
 * settings nor the repository's .env and data/ folder take part. Asynchronous, because the test
 * server answers from this process.
 */
function simulate(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SIMULATE, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

function lines(text: string): string[] {
  return text.split('\n');
}

const slowCommand: Command = {
  name: 'slow',
  usage: 'slow',
  description: 'Replies after 300 ms.',
  async handle({ context }) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await context.sendActivity('done');
  },
};

const conversationCommand: Command = {
  name: 'conversation',
  usage: 'conversation',
  description: 'Replies with the conversation id.',
  async handle({ context }) {
    await context.sendActivity(`conversation ${context.activity.conversation.id}`);
  },
};

describe('simulate command line', function () {
  this.timeout(10_000);

  let server: TestServer;
  let folder: string;
  let port: string;
  let webhookUrl: string;

  before(async () => {
    server = await startTestServer({ env: { TEAMS_WEBHOOK_SECRETS: `contoso:${createToken()}` } });
    server.app.bot.router.register(slowCommand);
    server.app.bot.router.register(conversationCommand);
    port = new URL(server.url).port;
    webhookUrl = `${server.url}/api/webhook`;
  });

  after(() => server.close());

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function withToken(...args: string[]): string[] {
    return ['--url', webhookUrl, '--token', server.token, ...args];
  }

  it('prints the reply, status and time', async () => {
    const run = await simulate(withToken('echo hello'), {}, folder);

    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    const output = lines(run.stdout);
    assert.equal(output[0], `Sending "echo hello" as Sam Rivera to ${webhookUrl}`);
    assert.equal(output[1], 'Signed with the --token option');
    assert.match(output[2], /^200 OK in \d+ ms \(budget 5000 ms\)$/);
    assert.equal(output[3], 'Text: hello');
    assert.equal(output[4], 'OK: Teams would show this reply.');
  });

  it('summarizes the help card', async () => {
    const run = await simulate(withToken('help'), {}, folder);

    assert.equal(run.status, 0);
    const output = lines(run.stdout);
    assert.ok(output.includes('Card 1 of 1: Adaptive Card 1.4'), run.stdout);
    assert.ok(output.includes('  Title: What I can do'), run.stdout);
    assert.ok(output.includes('    echo <text>: Repeats the text back.'), run.stdout);
  });

  it('reads the port and token from the settings', async () => {
    const run = await simulate(
      ['echo hi'],
      { PORT: port, TEAMS_WEBHOOK_SECRET: server.token },
      folder,
    );

    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes(`to http://127.0.0.1:${port}/api/webhook\n`));
    assert.ok(run.stdout.includes('Signed with the token of webhook "default" from the settings'));
  });

  it('reads the settings from .env', async () => {
    writeFileSync(join(folder, '.env'), `PORT=${port}\nTEAMS_WEBHOOK_SECRET=${server.token}\n`);
    const run = await simulate(['echo hi'], {}, folder);

    assert.equal(run.status, 0, run.stderr);
  });

  it('signs with the development key of npm start', async () => {
    mkdirSync(join(folder, 'data'));
    writeFileSync(join(folder, 'data/dev-webhook-secret'), `${server.token}\n`);
    const run = await simulate(['echo hi'], { PORT: port }, folder);

    assert.equal(run.status, 0, run.stderr);
    assert.ok(
      run.stdout.includes(
        `Signed with the development key in ${join(folder, 'data/dev-webhook-secret')}`,
      ),
    );
  });

  it('picks the webhook of --webhook-id', async () => {
    const contoso = createToken();
    const contosoServer = await startTestServer({
      env: { TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}` },
    });
    try {
      const env = {
        PORT: new URL(contosoServer.url).port,
        TEAMS_WEBHOOK_SECRETS: `contoso:${contoso}`,
      };
      const run = await simulate(['--webhook-id', 'contoso', 'echo hi'], env, folder);

      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.stdout.includes(`to ${contosoServer.url}/api/webhook/contoso\n`));
      const requestLine = contosoServer.logs.find((line) => line.msg === 'webhook request');
      assert.equal(requestLine?.webhookId, 'contoso');
    } finally {
      await contosoServer.close();
    }
  });

  it('sends the given sender, team, channel and tenant', async () => {
    const run = await simulate(
      withToken(
        ...['--sender', 'Zoë Müller', '--team', '19:team@thread.tacv2'],
        ...['--channel', '19:channel@thread.tacv2', '--tenant', 'tenant-1', 'whoami'],
      ),
      {},
      folder,
    );

    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes('as Zoë Müller to'));
    assert.ok(run.stdout.includes('Text: Hi <at>Zoë Müller</at>, this is what Teams sent'));
    assert.ok(run.stdout.includes('**Team id:** `19:team@thread.tacv2`'));
    assert.ok(run.stdout.includes('**Channel id:** `19:channel@thread.tacv2`'));
    assert.ok(run.stdout.includes('**Tenant id:** `tenant-1`'));
    assert.match(run.stdout, /\n {2}<at>Zoë Müller<\/at> -> Zoë Müller \(29:\S+\)\n/);
  });

  it('sends the id of --sender-id', async () => {
    const id = 'aaaaaaaa-0000-4000-8000-000000000001';
    const run = await simulate(withToken('--sender-id', id, 'whoami'), {}, folder);

    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes(`**AAD object id:** \`${id}\``), run.stdout);
  });

  it('lets only the same sender confirm a removal', async () => {
    const records = await startTestServer();
    const send = (...args: string[]) =>
      simulate(
        ['--url', `${records.url}/api/webhook`, '--token', records.token, ...args],
        {},
        folder,
      );
    try {
      await send('employee add Ana');
      await send('--sender', 'Kim Berg', 'employee remove E-1001');

      const other = await send('--sender', 'Lee Park', 'employee remove E-1001 confirm');
      assert.match(
        other.stdout,
        /Text: There is no removal of E-1001 waiting for your confirmation/,
      );
      const same = await send('--sender', 'Kim Berg', 'employee remove E-1001 confirm');
      assert.match(same.stdout, /Text: Removed E-1001 \(Ana\)\./);
    } finally {
      await records.close();
    }
  });

  it('prints each change with its facts', async () => {
    const records = await startTestServer();
    const send = (...args: string[]) =>
      simulate(
        ['--url', `${records.url}/api/webhook`, '--token', records.token, ...args],
        {},
        folder,
      );
    try {
      await send('employee add Ana');
      await send('employee set E-1001 title=Lead');
      const output = lines((await send('changes E-1001')).stdout);

      const created = output.indexOf('  Text: **Created** E-1001 Ana');
      const updated = output.indexOf('  Text: **Updated** E-1001 Ana');
      assert.ok(created > 0, output.join('\n'));
      assert.ok(updated > created, output.join('\n'));
      for (const start of [created, updated]) {
        assert.equal(output[start + 1], '  Facts:');
        assert.match(output[start + 2], /^ {4}When: \d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/Berlin$/);
        assert.match(output[start + 3], /^ {4}Who: Sam Rivera \(11111111-/);
        assert.match(output[start + 4], /^ {4}Where: Team 19:/);
      }
    } finally {
      await records.close();
    }
  });

  it('replies inside the thread of --thread', async () => {
    const run = await simulate(withToken('--thread', '1715678493123', 'conversation'), {}, folder);

    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Text: conversation 19:\S+;messageid=1715678493123\n/);
  });

  it('prints only the raw reply with --json', async () => {
    const run = await simulate(withToken('--json', 'echo hello'), {}, folder);

    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { type: 'message', text: 'hello' });
    assert.match(run.stderr, /^200 OK in \d+ ms/m);
  });

  it('checks that bad copies are rejected', async () => {
    const run = await simulate(withToken('--check', 'echo hello'), {}, folder);
    const output = lines(run.stdout);
    const staleLine = output.find((line) => line.startsWith('Check: copy with a timestamp'));

    assert.ok(
      output.includes('Check: wrongly signed copy: 401 Unauthorized, rejected as expected'),
    );
    assert.ok(staleLine !== undefined, run.stdout);
    // The stale copy passes only where the server checks timestamps; either way the exit
    // status must follow the reported result.
    const staleRejected = staleLine.endsWith('rejected as expected');
    assert.equal(run.status, staleRejected ? 0 : 1);
    assert.equal(run.stderr.includes('10 minutes old'), !staleRejected);
  });

  it('fails with a hint for a wrong token', async () => {
    const run = await simulate(['--url', webhookUrl, '--token', createToken(), 'echo'], {}, folder);

    assert.equal(run.status, 1);
    assert.match(run.stdout, /^401 Unauthorized in \d+ ms/m);
    assert.match(run.stderr, /^Error: The server returned 401 Unauthorized\. .*--token option/);
  });

  it('fails clearly when no server listens', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));

    const url = `http://127.0.0.1:${freePort}/api/webhook`;
    const run = await simulate(['--url', url, '--token', server.token, 'echo'], {}, folder);

    assert.equal(run.status, 1);
    assert.ok(run.stderr.startsWith(`Cannot connect to ${url}: the connection was refused`));
    assert.ok(run.stderr.includes('`npm start`'));
  });

  it('fails clearly without a token', async () => {
    const run = await simulate(['echo'], { NODE_ENV: 'production', PORT: port }, folder);

    assert.equal(run.status, 1);
    assert.match(run.stderr, /^Cannot read the settings: No webhook token is configured\./);
    assert.ok(run.stderr.includes('TEAMS_WEBHOOK_SECRET'));
    assert.ok(run.stderr.includes('--token'));
    assert.equal(run.stdout, '');
  });

  it('fails when the reply is over the budget', async () => {
    const run = await simulate(withToken('--budget', '100', 'slow'), {}, folder);

    assert.equal(run.status, 1);
    assert.ok(run.stdout.includes('Text: done'));
    assert.match(run.stderr, /^Error: The reply took \d+ ms, over the 100 ms budget\./);
  });

  describe('against a server that replies {}', () => {
    let broken: Server;
    let brokenUrl: string;

    before(async () => {
      broken = createServer((_req, res) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      });
      await new Promise<void>((done) => broken.listen(0, '127.0.0.1', done));
      brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/api/webhook`;
    });

    after(() => {
      broken.closeAllConnections();
      return new Promise((done) => broken.close(done));
    });

    it('fails because the reply is no message', async () => {
      const run = await simulate(['--url', brokenUrl, '--token', server.token, 'echo'], {}, folder);

      assert.equal(run.status, 1);
      assert.ok(run.stdout.includes('(no text and no cards)'));
      assert.match(run.stderr, /^Error: The reply has no type; it must have type "message"\./);
    });
  });

  it('exits 2 for an unknown option', async () => {
    const run = await simulate(['--nope', 'echo'], {}, folder);

    assert.equal(run.status, 2);
    assert.match(run.stderr, /'--nope'.*Run with --help to see the options\./);
    assert.equal(run.stdout, '');
  });

  it('prints the help', async () => {
    const run = await simulate(['--help'], {}, folder);

    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: npm run simulate -- \[options\] "<message>"/);
  });
});
