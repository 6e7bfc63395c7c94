import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature of an event body. */
export const SIGNATURE_HEADER = 'X-Records-Signature';

const PREFIX = 'sha256=';

/**
 * Returns the X-Records-Signature value of `body`: `sha256=` and the lower-case hex
 * HMAC-SHA256 of the body bytes, keyed with the UTF-8 bytes of `secret`. This is the scheme
 * GitHub uses for X-Hub-Signature-256.
 */
export function signEventBody(body: string | Buffer, secret: string): string {
  const digest = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
  return `${PREFIX}${digest}`;
}

/**
 * Tells whether `header` is the signature of the raw `body` under `secret`, comparing in
 * constant time. Receivers must pass the body bytes as received, before any JSON parsing.
 */
export function verifyEventSignature(
  body: string | Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (header === undefined || !header.startsWith(PREFIX)) {
    return false;
  }
  const expected = Buffer.from(signEventBody(body, secret), 'utf8');
  const received = Buffer.from(header.trim(), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
