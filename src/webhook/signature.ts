import { createHmac, timingSafeEqual } from 'node:crypto';

/** One key that may sign requests for a webhook. */
export interface SigningKey {
  webhookId: string;
  key: Buffer;
}

/** Reason code of a rejected signature, logged in place of the header itself. */
export type SignatureFailure =
  | 'signature_missing'
  | 'signature_scheme'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'webhook_unknown';

export type SignatureResult =
  { ok: true; webhookId: string } | { ok: false; reason: SignatureFailure };

const DIGEST_BYTES = 32;
// A SHA-256 digest in padded base64 is always 43 characters and one '='.
const DIGEST_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Computes the signature Teams sends: base64 of HMAC-SHA256 over the raw body bytes. */
export function signBody(body: Buffer | string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

/**
 * Checks an `Authorization: HMAC <base64>` header against the exact body bytes received.
 * Every key in `keys` is compared in constant time; the first match names the webhook.
 */
export function verifySignature(
  body: Buffer,
  authorization: string | undefined,
  keys: readonly SigningKey[],
): SignatureResult {
  if (keys.length === 0) {
    return { ok: false, reason: 'webhook_unknown' };
  }
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) {
    return parsed;
  }

  let match: string | undefined;
  for (const { webhookId, key } of keys) {
    const expected = createHmac('sha256', key).update(body).digest();
    // Both buffers are DIGEST_BYTES long, which timingSafeEqual requires.
    if (timingSafeEqual(expected, parsed.digest) && match === undefined) {
      match = webhookId;
    }
  }
  return match === undefined
    ? { ok: false, reason: 'signature_mismatch' }
    : { ok: true, webhookId: match };
}

type ParsedAuthorization = { ok: true; digest: Buffer } | { ok: false; reason: SignatureFailure };

function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'signature_missing' };
  }
  const [scheme, ...rest] = header.trim().split(/\s+/);
  if (scheme.toUpperCase() !== 'HMAC') {
    return { ok: false, reason: 'signature_scheme' };
  }
  const value = rest.join(' ');
  if (!DIGEST_BASE64.test(value)) {
    return { ok: false, reason: 'signature_malformed' };
  }
  const digest = Buffer.from(value, 'base64');
  if (digest.length !== DIGEST_BYTES) {
    return { ok: false, reason: 'signature_malformed' };
  }
  return { ok: true, digest };
}
