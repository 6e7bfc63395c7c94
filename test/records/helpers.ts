import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';
import type { ChangeOrigin } from '../../src/records/types';

/** Creates a folder for one test's database file; `remove()` deletes it. */
export function createTempFolder(): { path: string; databasePath: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'records-test-'));
  return {
    path,
    databasePath: join(path, 'records.db'),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Creates a pino logger at debug level that parses each line into `lines`. */
export function captureLogs(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

/** Returns the log lines with message `msg`. */
export function linesWith(lines: Record<string, unknown>[], msg: string) {
  return lines.filter((line) => line.msg === msg);
}

export const TENANT = '99999999-8888-4777-8666-555555555555';
export const EDITOR = '11111111-2222-4333-8444-555555555555';

let activitySequence = 0;

/** Returns a change origin with realistic ids and a new activity id. */
export function originFor(overrides: Partial<ChangeOrigin> = {}): ChangeOrigin {
  activitySequence += 1;
  return {
    tenantId: TENANT,
    actor: { name: 'Sam Rivera', aadObjectId: EDITOR },
    team: { id: '19:team@thread.tacv2', name: 'HR Operations' },
    channel: { id: '19:channel@thread.tacv2', name: 'Records' },
    activity: { conversationId: '19:channel@thread.tacv2', activityId: `a-${activitySequence}` },
    ...overrides,
  };
}

/** One request the receiver got, with the raw body as sent. */
export interface ReceivedRequest {
  body: string;
  headers: IncomingMessage['headers'];
  status: number;
}

/** Response to request n (from 0): a status, or `hang` to never respond. */
export type Responder = (index: number, body: string) => number | 'hang';

/** A local HTTP server on 127.0.0.1 that plays the line-of-business app. */
export class EventReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly hanging = new Set<() => void>();

  private readonly server: Server;
  url = '';

  private constructor(public respond: Responder) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  static async start(respond: Responder = () => 204): Promise<EventReceiver> {
    const receiver = new EventReceiver(respond);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.url = `http://127.0.0.1:${port}/events`;
    return receiver;
  }

  /** Parsed bodies of the requests that got a 2xx response. */
  get accepted(): Record<string, unknown>[] {
    return this.requests
      .filter((request) => request.status >= 200 && request.status < 300)
      .map((request) => JSON.parse(request.body) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    this.hanging.forEach((release) => release());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const outcome = this.respond(this.requests.length, body);
    if (outcome === 'hang') {
      this.requests.push({ body, headers: req.headers, status: 0 });
      this.hanging.add(() => res.destroy());
      return;
    }
    this.requests.push({ body, headers: req.headers, status: outcome });
    // restify replaces ServerResponse.prototype.writeHead with one that returns nothing.
    res.writeHead(outcome, { 'Content-Length': '0' });
    res.end();
  }
}

/** Waits until `condition()` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  description: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
