import { signBody } from '../webhook/signature';

/**
 * Returns the `Authorization` header value Teams would send for `body`: `HMAC ` and the base64
 * HMAC-SHA256 of the body bytes, keyed with the decoded security token.
 */
export function authorizationFor(body: Buffer | string, token: string): string {
  return `HMAC ${signBody(body, Buffer.from(token, 'base64'))}`;
}
