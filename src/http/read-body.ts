import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { ok: true; body: Buffer } | { ok: false; reason: 'body_too_large' | 'client_aborted' };

/**
 * Reads the raw request body, keeping the bytes exactly as received. Stops reading and resolves
 * with `body_too_large` as soon as more than `maxBytes` have arrived or were announced in
 * Content-Length, and with `client_aborted` when the connection closes first (the client gave
 * up, or Node's request timeout cut it off).
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.resolve({ ok: false, reason: 'body_too_large' });
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanUp();
        req.pause();
        resolve({ ok: false, reason: 'body_too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve({ ok: true, body: Buffer.concat(chunks, size) });
    };
    const onError = () => {
      cleanUp();
      resolve({ ok: false, reason: 'client_aborted' });
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
