import assert from 'node:assert/strict';
import { request } from 'node:http';
import sinon from 'sinon';
import {
  authorizationFor,
  buildMessageActivity,
  startTestServer,
  type TestServer,
} from '../../src/testing';
import { loadPayloads } from '../helpers/fixtures';

/** Requests sent by the fuzz test; bounded so the test stays within a few seconds. */
const REQUESTS = 3000;
/** Requests in flight at once. */
const CONCURRENCY = 16;

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_PIECES = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  'null',
  'true',
  '1e999',
  '-0',
  '\\u0000',
  '\\ud800',
  '"type"',
  '"message"',
  '<at>',
  '</at>',
  '&amp;',
  '\u00a0',
  '🚀',
  '\r\n',
];
const HEADER_VALUES = [
  '',
  'HMAC',
  'HMAC ',
  'hmac ==',
  'Bearer x',
  'HMAC ' + 'A'.repeat(43) + '=',
  'HMAC ' + '/'.repeat(44),
  'HMAC\t\t',
  'HMAC a b c',
  'HMAC ' + 'x'.repeat(5000),
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  '',
  'application/json;;;',
  'multipart/form-data; boundary=x',
];

interface FuzzCase {
  body: Buffer;
  headers: Record<string, string>;
  path: string;
}

function mutate(next: () => number, seedBodies: Buffer[], token: string): FuzzCase {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  let body = Buffer.from(pick(seedBodies));
  // A fifth of the cases stay intact, so valid activities reach the bot between broken ones.
  const operations = next() < 0.2 ? 0 : 1 + Math.floor(next() * 4);
  for (let i = 0; i < operations; i++) {
    const at = Math.floor(next() * (body.length + 1));
    switch (Math.floor(next() * 5)) {
      case 0:
        body = Buffer.concat([
          body.subarray(0, at),
          Buffer.from(pick(JSON_PIECES)),
          body.subarray(at),
        ]);
        break;
      case 1:
        body = Buffer.concat([
          body.subarray(0, at),
          body.subarray(at + 1 + Math.floor(next() * 20)),
        ]);
        break;
      case 2:
        if (body.length > 0) {
          body[Math.min(at, body.length - 1)] = Math.floor(next() * 256);
        }
        break;
      case 3:
        body = body.subarray(0, at);
        break;
      default:
        body = Buffer.from(
          Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256)),
        );
    }
  }

  const headers: Record<string, string> = {};
  const contentType = pick(CONTENT_TYPES);
  if (contentType !== '') {
    headers['Content-Type'] = contentType;
  }
  // Most cases carry a valid signature, so the mutated body reaches the parser and the bot.
  headers.Authorization = next() < 0.7 ? authorizationFor(body, token) : pick(HEADER_VALUES);
  const path = pick([
    '/api/webhook',
    '/api/webhook?id=default',
    '/api/webhook/default',
    '/api/webhook?id=%00',
    '/api/webhook/%E2%80%8B',
  ]);
  return { body, headers, path };
}

function send(server: TestServer, input: FuzzCase): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${server.url}${input.path}`, {
      method: 'POST',
      headers: { ...input.headers, 'Content-Length': String(input.body.length) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A header value Node refuses to send counts as a client-side rejection.
    req.on('error', () => resolve(-1));
    req.end(input.body);
  });
}

describe('fuzzing the webhook', function () {
  this.timeout(60_000);
  let server: TestServer;
  const unhandled = sinon.spy();

  before(async () => {
    process.on('unhandledRejection', unhandled);
    server = await startTestServer({ env: { LOG_LEVEL: 'warn', REPLAY_WINDOW_SECONDS: '0' } });
  });

  after(async () => {
    process.off('unhandledRejection', unhandled);
    await server.close();
  });

  it(`answers ${REQUESTS} random and mutated requests without a 5xx`, async () => {
    const seedBodies = [
      ...loadPayloads().map((payload) => payload.body),
      Buffer.from(JSON.stringify(buildMessageActivity('echo fuzz <at>Kim</at> &amp; 🚀'))),
      Buffer.from(JSON.stringify(buildMessageActivity('help'))),
    ];
    const next = random(20261204);
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent += 1;
        const status = await send(server, mutate(next, seedBodies, server.token));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const serverErrors = [...statuses].filter(([status]) => status >= 500);
    assert.deepEqual(serverErrors, [], `status counts: ${JSON.stringify([...statuses])}`);
    assert.ok((statuses.get(200) ?? 0) > 100, 'enough cases reached the bot');
    assert.ok((statuses.get(400) ?? 0) > 100, 'enough cases reached the parser');
    sinon.assert.notCalled(unhandled);

    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});
