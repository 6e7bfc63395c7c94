import { randomBytes } from 'node:crypto';
import { signBody } from '../webhook/signature';

/**
 * Returns the `Authorization` header value Teams would send for `body`: `HMAC ` and the base64
 * HMAC-SHA256 of the body bytes, keyed with the decoded security token.
 */
export function authorizationFor(body: Buffer | string, token: string): string {
  return `HMAC ${signBody(body, Buffer.from(token, 'base64'))}`;
}

/** Creates a random security token in Teams' format: base64 of 32 bytes. */
export function createToken(): string {
  return randomBytes(32).toString('base64');
}
