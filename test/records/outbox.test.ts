import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/records/database';
import { EditorPolicy } from '../../src/records/editor-policy';
import { verifyEventSignature } from '../../src/records/event-signature';
import type { RecordEvent } from '../../src/records/events';
import { backoffDelay, DEFAULT_BACKOFF, OutboxWorker } from '../../src/records/outbox';
import { OutboxTable } from '../../src/records/outbox-table';
import { RecordsService } from '../../src/records/records-service';
import {
  captureLogs,
  createTempFolder,
  EventReceiver,
  linesWith,
  originFor,
  waitUntil,
  type Responder,
} from './helpers';

const SECRET = 'receiver-secret-ä';
const FAST_BACKOFF = { initialMs: 20, maxMs: 80, factor: 2 };

describe('backoffDelay', () => {
  it('retries first within seconds and grows to a cap of minutes', () => {
    const delays = [1, 2, 3, 4, 8, 9, 20].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF));
    assert.deepEqual(delays, [2000, 4000, 8000, 16000, 256000, 300000, 300000]);
  });
});

describe('OutboxWorker', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let db: Database.Database;
  let logs: ReturnType<typeof captureLogs>;
  let receiver: EventReceiver;
  let workers: OutboxWorker[];

  function startWorker(options: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) {
    const worker = new OutboxWorker({
      outbox: new OutboxTable(db),
      url: receiver.url,
      secret: SECRET,
      logger: logs.logger,
      backoff: FAST_BACKOFF,
      pollIntervalMs: 1000,
      requestTimeoutMs: 1000,
      ...options,
    });
    workers.push(worker);
    worker.start();
    return worker;
  }

  function serviceFor(worker?: OutboxWorker) {
    return new RecordsService({
      db,
      logger: logs.logger,
      editors: new EditorPolicy([], logs.logger),
      outbox: new OutboxTable(db),
      now: () => new Date(),
      onCommit: () => worker?.wake(),
    });
  }

  async function startReceiver(respond: Responder) {
    receiver = await EventReceiver.start(respond);
  }

  const pending = () => new OutboxTable(db).pendingCount();

  beforeEach(() => {
    folder = createTempFolder();
    logs = captureLogs();
    db = openDatabase(folder.databasePath, logs.logger);
    workers = [];
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await receiver?.close();
    db.close();
    folder.remove();
  });

  it('delivers a change as signed JSON', async () => {
    await startReceiver(() => 204);
    const worker = startWorker();
    const origin = originFor();
    const { entry } = serviceFor(worker).add(origin, { name: 'Ana Núñez', title: 'Engineer' });
    await waitUntil(() => pending() === 0, 'the event is delivered');

    assert.equal(receiver.requests.length, 1);
    const [request] = receiver.requests;
    assert.equal(request.headers['content-type'], 'application/json; charset=utf-8');
    const signature = request.headers['x-records-signature'] as string;
    assert.equal(verifyEventSignature(request.body, signature, SECRET), true);
    const event = JSON.parse(request.body) as RecordEvent;
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...event, id: '' },
      {
        id: '',
        operation: 'create',
        recordId: 'E-1001',
        tenantId: origin.tenantId,
        auditId: entry.id,
        changes: [
          { field: 'name', before: null, after: 'Ana Núñez' },
          { field: 'title', before: null, after: 'Engineer' },
        ],
        actor: { name: 'Sam Rivera', aadObjectId: origin.actor.aadObjectId },
        team: { id: '19:team@thread.tacv2', name: 'HR Operations' },
        channel: { id: '19:channel@thread.tacv2', name: 'Records' },
        occurredAt: entry.occurredAt.toISOString(),
      },
    );
    const [delivered] = linesWith(logs.lines, 'event delivered');
    assert.equal(delivered.eventId, event.id);
    assert.equal(delivered.attempt, 1);
    assert.equal(delivered.status, 204);
  });

  it('retries with growing delays until the receiver accepts', async () => {
    await startReceiver((index) => [503, 500, 307][index] ?? 200);
    const worker = startWorker();
    serviceFor(worker).add(originFor(), { name: 'Ana' });
    await waitUntil(() => pending() === 0, 'the event is delivered');

    assert.deepEqual(
      receiver.requests.map((request) => request.status),
      [503, 500, 307, 200],
    );
    const ids = receiver.requests.map((request) => (JSON.parse(request.body) as RecordEvent).id);
    assert.equal(new Set(ids).size, 1, 'every attempt carries the same event id');
    assert.equal(new Set(receiver.requests.map((request) => request.body)).size, 1);
    const failures = linesWith(logs.lines, 'event delivery failed; will retry');
    assert.deepEqual(
      failures.map((line) => line.error),
      ['HTTP 503', 'HTTP 500', 'HTTP 307'],
    );
    assert.deepEqual(
      failures.map((line) => line.retryInMs),
      [20, 40, 80],
    );
    assert.equal(linesWith(logs.lines, 'event delivered')[0].attempt, 4);
  });

  it('keeps each record in order while another record goes ahead', async () => {
    let firstOfAnaFailures = 2;
    await startReceiver((_index, body) => {
      const event = JSON.parse(body) as RecordEvent;
      if (event.recordId === 'E-1001' && event.operation === 'create' && firstOfAnaFailures > 0) {
        firstOfAnaFailures -= 1;
        return 503;
      }
      return 200;
    });
    const worker = startWorker();
    const service = serviceFor(worker);
    const ana = service.add(originFor(), { name: 'Ana' }).record;
    service.update(originFor(), ana.number, { title: 'Engineer' });
    service.update(originFor(), ana.number, { title: 'Lead' });
    service.add(originFor(), { name: 'Kim' });
    await waitUntil(() => pending() === 0, 'every event is delivered');

    const accepted = receiver.accepted as unknown as RecordEvent[];
    const anaEvents = accepted.filter((event) => event.recordId === 'E-1001');
    assert.deepEqual(
      anaEvents.map((event) => event.changes.map((change) => change.after)),
      [['Ana'], ['Engineer'], ['Lead']],
    );
    assert.equal(accepted[0].recordId, 'E-1002', 'Kim was not held up by Ana');
    assert.equal(accepted.length, 4);
    assert.equal(new Set(accepted.map((event) => event.id)).size, 4);
  });

  it('gives up on a hanging receiver after the timeout and retries', async () => {
    await startReceiver((index) => (index === 0 ? 'hang' : 200));
    const worker = startWorker({ requestTimeoutMs: 300 });
    serviceFor(worker).add(originFor(), { name: 'Ana' });
    await waitUntil(() => pending() === 0, 'the event is delivered');

    const [failure] = linesWith(logs.lines, 'event delivery failed; will retry');
    assert.equal(failure.error, 'timed out after 300 ms');
    assert.equal(receiver.requests[0].status, 0, 'the first request got no response');
    assert.equal(receiver.accepted.length, 1);
  });

  it('logs a refused connection and delivers once the receiver is up', async () => {
    await startReceiver(() => 200);
    const url = receiver.url;
    await receiver.close();
    const worker = startWorker({ url });
    serviceFor(worker).add(originFor(), { name: 'Ana' });
    await waitUntil(
      () => linesWith(logs.lines, 'event delivery failed; will retry').length > 0,
      'a delivery fails',
    );
    assert.match(
      String(linesWith(logs.lines, 'event delivery failed; will retry')[0].error),
      /ECONNREFUSED/,
    );
    assert.equal(pending(), 1);
  });

  it('finds events written without a wake by polling', async () => {
    await startReceiver(() => 200);
    startWorker({ pollIntervalMs: 50 });
    serviceFor(undefined).add(originFor(), { name: 'Ana' });
    await waitUntil(() => pending() === 0, 'the event is delivered');
    assert.equal(receiver.requests.length, 1);
  });

  it('wakes at once after a commit despite a long poll interval', async () => {
    await startReceiver(() => 200);
    const worker = startWorker({ pollIntervalMs: 3_600_000 });
    await waitUntil(
      () => linesWith(logs.lines, 'event delivery started').length === 1,
      'the worker starts',
    );
    serviceFor(worker).add(originFor(), { name: 'Ana' });
    // The next poll is an hour away, so only the wake after the commit can deliver in time.
    await waitUntil(() => pending() === 0, 'the event is delivered', 3000);
  });

  it('resends a request cut off by stop', async () => {
    await startReceiver((index) => (index === 0 ? 'hang' : 200));
    const worker = startWorker({ requestTimeoutMs: 60_000 });
    serviceFor(worker).add(originFor(), { name: 'Ana' });
    await waitUntil(() => receiver.requests.length === 1, 'the receiver gets the request');

    await worker.stop();
    assert.equal(pending(), 1);
    assert.equal(
      linesWith(logs.lines, 'event delivery interrupted by shutdown; it stays queued').length,
      1,
    );
    const attempts = db.prepare('SELECT attempts FROM outbox').pluck().get();
    assert.equal(attempts, 0);

    startWorker();
    await waitUntil(() => pending() === 0, 'the new worker delivers the event');
    const [cut, resent] = receiver.requests.map(
      (request) => JSON.parse(request.body) as RecordEvent,
    );
    assert.equal(resent.id, cut.id);
  });
});
