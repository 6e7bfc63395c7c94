import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signBody, verifySignature, type SigningKey } from '../../src/webhook/signature';
import { loadVectors, vectorBody } from '../helpers/fixtures';

const vectors = loadVectors();
const alpha: SigningKey = { webhookId: 'alpha', key: Buffer.from(vectors.keys.alpha, 'base64') };
const beta: SigningKey = { webhookId: 'beta', key: Buffer.from(vectors.keys.beta, 'base64') };

describe('verifySignature', () => {
  describe('known-answer vectors', () => {
    for (const vector of vectors.cases) {
      it(vector.name, () => {
        const key = vector.keyId === 'alpha' ? alpha : beta;
        const result = verifySignature(vectorBody(vector), vector.authorization ?? undefined, [
          key,
        ]);
        assert.equal(result.ok, vector.expectStatus === 200);
      });
    }
  });

  it('names the webhook whose key matched', () => {
    const body = Buffer.from('{"type":"message"}');
    const header = `HMAC ${signBody(body, beta.key)}`;
    assert.deepEqual(verifySignature(body, header, [alpha, beta]), {
      ok: true,
      webhookId: 'beta',
    });
  });

  it('accepts either key of a rotated webhook', () => {
    const body = Buffer.from('{"type":"message"}');
    const oldKey = { webhookId: 'contoso', key: alpha.key };
    const newKey = { webhookId: 'contoso', key: beta.key };
    for (const signer of [alpha.key, beta.key]) {
      const result = verifySignature(body, `HMAC ${signBody(body, signer)}`, [oldKey, newKey]);
      assert.deepEqual(result, { ok: true, webhookId: 'contoso' });
    }
  });

  it('accepts the scheme in any case', () => {
    const body = Buffer.from('{}');
    const result = verifySignature(body, `hmac ${signBody(body, alpha.key)}`, [alpha]);
    assert.equal(result.ok, true);
  });

  describe('bodies whose bytes change when re-serialised', () => {
    const bodies: Record<string, string> = {
      'unicode escapes': '{"type":"message","text":"caf\\u00e9 \\ud83d\\ude80"}',
      'CRLF line ends': '{\r\n  "type": "message",\r\n  "text": "hi"\r\n}',
      'extra spaces': '{ "type" :  "message" , "text" : "a  b" }',
      'escaped slashes': '{"type":"message","text":"<\\/at> a\\/b"}',
    };
    for (const [name, text] of Object.entries(bodies)) {
      it(`verifies ${name} over the received bytes`, () => {
        const body = Buffer.from(text, 'utf8');
        const header = `HMAC ${signBody(body, alpha.key)}`;
        assert.equal(verifySignature(body, header, [alpha]).ok, true);
      });

      it(`rejects ${name} re-serialised before hashing`, () => {
        const body = Buffer.from(text, 'utf8');
        const reserialised = Buffer.from(JSON.stringify(JSON.parse(text)), 'utf8');
        assert.notDeepEqual(reserialised, body);
        const header = `HMAC ${signBody(reserialised, alpha.key)}`;
        assert.equal(verifySignature(body, header, [alpha]).ok, false);
      });
    }
  });

  it('verifies non-ASCII UTF-8 bytes, not latin1', () => {
    const body = Buffer.from('{"type":"message","text":"Zoë 🚀 你好 ١٢٣"}', 'utf8');
    assert.equal(verifySignature(body, `HMAC ${signBody(body, alpha.key)}`, [alpha]).ok, true);
    const latin1 = Buffer.from(body.toString('utf8'), 'latin1');
    assert.equal(verifySignature(body, `HMAC ${signBody(latin1, alpha.key)}`, [alpha]).ok, false);
  });

  describe('reason codes', () => {
    const body = Buffer.from('{"type":"message"}');
    const good = signBody(body, alpha.key);
    const cases: [string, string | undefined, string][] = [
      ['no header', undefined, 'signature_missing'],
      ['empty header', '', 'signature_missing'],
      ['blank header', '   ', 'signature_missing'],
      ['bearer scheme', `Bearer ${good}`, 'signature_scheme'],
      ['basic scheme', `Basic ${good}`, 'signature_scheme'],
      ['bare digest', good, 'signature_scheme'],
      ['scheme only', 'HMAC', 'signature_malformed'],
      ['hex digest', `HMAC ${Buffer.from(good, 'base64').toString('hex')}`, 'signature_malformed'],
      [
        'base64url digest',
        `HMAC ${Buffer.from(good, 'base64').toString('base64url')}`,
        'signature_malformed',
      ],
      ['missing padding', `HMAC ${good.replace(/=$/, '')}`, 'signature_malformed'],
      ['truncated', `HMAC ${good.slice(0, 20)}`, 'signature_malformed'],
      ['extra characters', `HMAC ${good}AAAA`, 'signature_malformed'],
      ['two values', `HMAC ${good} ${good}`, 'signature_malformed'],
      [
        'non-canonical last character',
        `HMAC ${good.slice(0, 42)}${nonCanonical(good[42])}=`,
        'signature_malformed',
      ],
      ['other key', `HMAC ${signBody(body, beta.key)}`, 'signature_mismatch'],
      ['other body', `HMAC ${signBody('{}', alpha.key)}`, 'signature_mismatch'],
    ];
    for (const [name, header, reason] of cases) {
      it(`${name} is ${reason}`, () => {
        assert.deepEqual(verifySignature(body, header, [alpha]), { ok: false, reason });
      });
    }

    it('no keys is webhook_unknown', () => {
      assert.deepEqual(verifySignature(body, `HMAC ${good}`, []), {
        ok: false,
        reason: 'webhook_unknown',
      });
    });
  });

  it('signBody matches HMAC-SHA256 keyed with the decoded token', () => {
    const body = Buffer.from('{"type":"message"}');
    const expected = createHmac('sha256', alpha.key).update(body).digest('base64');
    assert.equal(signBody(body, alpha.key), expected);
  });
});

/** Returns a base64 character that decodes to the same 32 bytes' prefix but sets the unused low bits. */
function nonCanonical(last: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return alphabet[alphabet.indexOf(last) + 1];
}
