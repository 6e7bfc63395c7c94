import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { authorizationFor, createToken } from '../../src/testing/signing';

interface VectorFile {
  keys: Record<string, string>;
  cases: { name: string; keyId: string; bodyFile?: string; authorization: string }[];
}

const fixtures = resolve('test/fixtures');
const vectors = JSON.parse(
  readFileSync(resolve(fixtures, 'hmac-vectors.json'), 'utf8'),
) as VectorFile;

describe('authorizationFor', () => {
  const payloadCases = vectors.cases.filter((vector) => vector.bodyFile !== undefined);

  it('has payload vectors to check', () => {
    assert.ok(payloadCases.length >= 4);
  });

  for (const vector of payloadCases) {
    it(`matches the known signature of ${vector.name}`, () => {
      const body = readFileSync(resolve(fixtures, vector.bodyFile as string));

      assert.equal(authorizationFor(body, vectors.keys[vector.keyId]), vector.authorization);
    });
  }

  it('signs a string as its UTF-8 bytes', () => {
    const token = createToken();
    const text = '{"text":"Grüße 👋"}';

    assert.equal(authorizationFor(text, token), authorizationFor(Buffer.from(text), token));
  });
});

describe('createToken', () => {
  it('returns base64 of 32 random bytes', () => {
    const token = createToken();

    assert.equal(Buffer.from(token, 'base64').length, 32);
    assert.equal(Buffer.from(token, 'base64').toString('base64'), token);
    assert.notEqual(createToken(), token);
  });
});
