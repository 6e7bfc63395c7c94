import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  authorizationFor,
  buildMessageActivity,
  startTestServer,
  type TestServer,
} from '../../src/testing';

interface BadInput {
  name: string;
  /** Body bytes; signed with the server's token unless `authorization` is given. */
  body: string | Buffer;
  authorization?: string | null;
  contentType?: string | null;
  path?: string;
  method?: string;
  status: number;
}

const fresh = () => JSON.stringify(buildMessageActivity('echo hi'));
const at = (offsetMs: number) =>
  JSON.stringify(buildMessageActivity('echo hi', { timestamp: new Date(Date.now() + offsetMs) }));
const withTimestamp = (timestamp: unknown) =>
  JSON.stringify({ ...buildMessageActivity('echo hi'), timestamp });

function digestOf(body: string, token: string): string {
  return authorizationFor(body, token).slice('HMAC '.length);
}

describe('bad-input matrix', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ env: { MAX_BODY_BYTES: '4096' } });
  });
  after(() => server.close());

  function cases(): BadInput[] {
    const body = fresh();
    const digest = digestOf(body, server.token);
    return [
      // Authorization header forms
      { name: 'no Authorization header', body, authorization: null, status: 401 },
      { name: 'empty header', body, authorization: '', status: 401 },
      { name: 'scheme only', body, authorization: 'HMAC', status: 401 },
      { name: 'scheme and space', body, authorization: 'HMAC ', status: 401 },
      { name: 'lower-case scheme', body, authorization: `hmac ${digest}`, status: 200 },
      { name: 'tab after scheme', body, authorization: `HMAC\t${digest}`, status: 200 },
      { name: 'Bearer scheme', body, authorization: `Bearer ${digest}`, status: 401 },
      { name: 'Basic scheme', body, authorization: `Basic ${digest}`, status: 401 },
      { name: 'sha256= prefix', body, authorization: `HMAC sha256=${digest}`, status: 401 },
      { name: 'digest without scheme', body, authorization: digest, status: 401 },
      { name: 'two digests', body, authorization: `HMAC ${digest} ${digest}`, status: 401 },
      {
        name: 'hex digest',
        body,
        authorization: `HMAC ${Buffer.from(digest, 'base64').toString('hex')}`,
        status: 401,
      },
      {
        name: 'base64url digest',
        body,
        authorization: `HMAC ${Buffer.from(digest, 'base64').toString('base64url')}`,
        status: 401,
      },
      {
        name: 'unpadded digest',
        body,
        authorization: `HMAC ${digest.replace(/=$/, '')}`,
        status: 401,
      },
      { name: 'truncated digest', body, authorization: `HMAC ${digest.slice(0, 30)}`, status: 401 },
      {
        name: 'digest with a byte more',
        body,
        authorization: `HMAC ${Buffer.concat([Buffer.from(digest, 'base64'), Buffer.from([0])]).toString('base64')}`,
        status: 401,
      },
      {
        name: 'digest with a flipped bit',
        body,
        authorization: `HMAC ${flipFirstBit(digest)}`,
        status: 401,
      },
      {
        name: 'digest of another token',
        body,
        authorization: `HMAC ${digestOf(body, Buffer.alloc(32, 9).toString('base64'))}`,
        status: 401,
      },
      {
        name: 'digest keyed with the token text',
        body,
        authorization: `HMAC ${createTextKeyedDigest(body, server.token)}`,
        status: 401,
      },
      { name: 'non-ASCII header', body, authorization: 'HMAC ÄÖÜ', status: 401 },
      // encoding
      {
        name: 'body re-encoded as latin1',
        body: Buffer.from('{"type":"message","text":"café"}', 'latin1'),
        status: 400,
      },
      // RFC 8259 lets a parser ignore a byte order mark; the signature still covers it.
      {
        name: 'UTF-8 byte order mark',
        body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
        status: 200,
      },
      { name: 'UTF-16 body', body: Buffer.from(body, 'utf16le'), status: 400 },
      { name: 'NUL byte', body: '{"type":"message"\u0000}', status: 400 },
      // size
      { name: 'body at the limit', body: padTo(body, 4096), status: 200 },
      { name: 'body one byte over the limit', body: padTo(body, 4097), status: 413 },
      {
        name: 'body far over the limit',
        body: 'x'.repeat(100_000),
        authorization: null,
        status: 413,
      },
      // content type
      { name: 'no content type', body, contentType: null, status: 415 },
      { name: 'text/plain', body, contentType: 'text/plain', status: 415 },
      { name: 'form encoded', body, contentType: 'application/x-www-form-urlencoded', status: 415 },
      { name: 'application/jsonp', body, contentType: 'application/jsonp', status: 415 },
      {
        name: 'JSON with charset',
        body,
        contentType: 'application/json; charset=utf-8',
        status: 200,
      },
      { name: 'JSON in capitals', body, contentType: 'APPLICATION/JSON', status: 200 },
      // JSON shape
      { name: 'empty body', body: '', status: 400 },
      { name: 'whitespace body', body: '  \n', status: 400 },
      { name: 'truncated JSON', body: body.slice(0, -1), status: 400 },
      { name: 'trailing garbage', body: `${body}x`, status: 400 },
      { name: 'JSON array', body: `[${body}]`, status: 400 },
      { name: 'JSON string', body: '"message"', status: 400 },
      { name: 'JSON number', body: '42', status: 400 },
      { name: 'JSON null', body: 'null', status: 400 },
      { name: 'object without type', body: '{"text":"hi"}', status: 400 },
      { name: 'type null', body: '{"type":null}', status: 400 },
      { name: 'type object', body: '{"type":{"a":1}}', status: 400 },
      { name: 'type empty', body: '{"type":""}', status: 400 },
      {
        name: 'deeply nested JSON',
        body: `{"type":"message","timestamp":"${new Date().toISOString()}","x":${'['.repeat(1500)}${']'.repeat(1500)}}`,
        status: 200,
      },
      // timestamps
      { name: 'fresh timestamp', body: at(0), status: 200 },
      { name: 'stale timestamp', body: at(-301_000), status: 401 },
      { name: 'future timestamp', body: at(120_000), status: 401 },
      { name: 'timestamp missing', body: withTimestamp(undefined), status: 401 },
      { name: 'timestamp null', body: withTimestamp(null), status: 401 },
      { name: 'timestamp a number', body: withTimestamp(Date.now()), status: 401 },
      { name: 'timestamp not a date', body: withTimestamp('now'), status: 401 },
      {
        name: 'timestamp without zone',
        body: withTimestamp(new Date().toISOString().slice(0, -1)),
        status: 401,
      },
      // routing
      { name: 'GET on the webhook', body: '', method: 'GET', status: 405 },
      { name: 'PUT on the webhook', body, method: 'PUT', status: 405 },
      { name: 'unknown path', body, path: '/api/hook', status: 404 },
      { name: 'unknown webhook id in the path', body, path: '/api/webhook/other', status: 401 },
      { name: 'unknown webhook id in the query', body, path: '/api/webhook?id=other', status: 401 },
      { name: 'empty id in the query', body, path: '/api/webhook?id=', status: 200 },
    ];
  }

  it('answers each case with its exact status and an empty error body', async () => {
    const failures: string[] = [];
    for (const input of cases()) {
      const response = await send(server, input);
      if (response.status !== input.status) {
        failures.push(`${input.name}: expected ${input.status}, got ${response.status}`);
      } else if (input.status !== 200 && response.body !== '') {
        failures.push(`${input.name}: the ${input.status} body is not empty`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('replays a captured request with 200 only once per activity', async () => {
    server.logs.length = 0;
    const body = fresh();
    const first = await send(server, { name: 'first', body, status: 200 });
    const replay = await send(server, { name: 'replay', body, status: 200 });
    assert.equal(first.status, 200);
    assert.equal(replay.status, 200);
    assert.equal(replay.body, first.body);
    const runs = server.logs.filter((line) => line.msg === 'repeated delivery');
    assert.equal(runs.length, 1);
  });
});

async function send(
  server: TestServer,
  input: BadInput,
): Promise<{ status: number; body: string }> {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const headers: Record<string, string> = {};
  const contentType = input.contentType === undefined ? 'application/json' : input.contentType;
  if (contentType !== null) {
    headers['Content-Type'] = contentType;
  }
  const authorization =
    input.authorization === undefined ? authorizationFor(body, server.token) : input.authorization;
  if (authorization !== null) {
    headers.Authorization = authorization;
  }
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${input.path ?? '/api/webhook'}`, {
      method: input.method ?? 'POST',
      headers: { ...headers, 'Content-Length': String(body.length) },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function flipFirstBit(digest: string): string {
  const bytes = Buffer.from(digest, 'base64');
  bytes[0] ^= 1;
  return bytes.toString('base64');
}

function createTextKeyedDigest(body: string, token: string): string {
  return authorizationFor(body, Buffer.from(token, 'utf8').toString('base64')).slice(5);
}

/** Pads a JSON object body with a filler field to exactly `bytes` bytes. */
function padTo(body: string, bytes: number): string {
  const prefix = `${body.slice(0, -1)},"pad":"`;
  const suffix = '"}';
  return prefix + 'x'.repeat(bytes - Buffer.byteLength(prefix) - suffix.length) + suffix;
}
