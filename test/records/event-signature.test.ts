import assert from 'node:assert/strict';
import { signEventBody, verifyEventSignature } from '../../src/records/event-signature';

describe('event signature', () => {
  // Computed with: printf 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
  const body = 'Hello, World!';
  const secret = "It's a Secret to Everybody";
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('matches a known HMAC-SHA256 hex digest', () => {
    assert.equal(signEventBody(body, secret), signature);
    assert.equal(signEventBody(Buffer.from(body), secret), signature);
  });

  it('keys the HMAC with the UTF-8 bytes of the secret', () => {
    assert.notEqual(signEventBody(body, 'geheimnis-ä'), signEventBody(body, 'geheimnis-a'));
    assert.equal(
      signEventBody(body, 'ä'),
      signEventBody(body, Buffer.from('ä', 'utf8').toString()),
    );
  });

  it('verifies the right signature', () => {
    assert.equal(verifyEventSignature(body, signature, secret), true);
  });

  it('rejects a wrong body, secret, prefix or length', () => {
    assert.equal(verifyEventSignature('Hello, World?', signature, secret), false);
    assert.equal(verifyEventSignature(body, signature, 'another secret'), false);
    assert.equal(verifyEventSignature(body, signature.replace('sha256=', 'sha1='), secret), false);
    assert.equal(verifyEventSignature(body, signature.slice(0, -2), secret), false);
    assert.equal(verifyEventSignature(body, undefined, secret), false);
  });
});
