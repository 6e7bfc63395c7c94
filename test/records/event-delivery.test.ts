import assert from 'node:assert/strict';
import { verifyEventSignature } from '../../src/records/event-signature';
import type { RecordEvent } from '../../src/records/events';
import {
  buildMessageActivity,
  postSigned,
  sendMention,
  startTestServer,
  type TestServer,
} from '../../src/testing';
import { createTempFolder, EventReceiver, linesWith, waitUntil, type Responder } from './helpers';

const SECRET = 'shared key for the records app';
const FAST_BACKOFF = { initialMs: 25, maxMs: 100, factor: 2 };

describe('record events through the webhook', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let receiver: EventReceiver;
  let server: TestServer | undefined;

  async function start(respond: Responder, requestTimeoutMs = 2000) {
    receiver ??= await EventReceiver.start(respond);
    server = await startTestServer({
      env: {
        DATABASE_PATH: folder.databasePath,
        RECORDS_EVENT_URL: receiver.url,
        RECORDS_EVENT_SECRET: SECRET,
      },
      records: { backoff: FAST_BACKOFF, pollIntervalMs: 200, requestTimeoutMs },
    });
    return server;
  }

  async function stop() {
    await server?.close();
    server = undefined;
  }

  const events = (requests = receiver.requests) =>
    requests.map((request) => JSON.parse(request.body) as RecordEvent);

  beforeEach(() => {
    folder = createTempFolder();
  });

  afterEach(async () => {
    await stop();
    await receiver.close();
    receiver = undefined as unknown as EventReceiver;
    folder.remove();
  });

  it('delivers every change in order despite early failures', async () => {
    const live = await start((index) => (index < 2 ? 503 : 200));
    await sendMention(live, 'employee add Ana title=Engineer');
    await sendMention(live, 'employee set E-1001 title=Lead');
    await sendMention(live, 'employee remove E-1001');
    await sendMention(live, 'employee remove E-1001 confirm');
    await waitUntil(() => receiver.accepted.length === 3, 'three events are accepted');

    const accepted = receiver.accepted as unknown as RecordEvent[];
    assert.deepEqual(
      accepted.map((event) => event.operation),
      ['create', 'update', 'remove'],
    );
    assert.deepEqual(accepted[1].changes, [{ field: 'title', before: 'Engineer', after: 'Lead' }]);
    assert.equal(accepted[1].actor.name, 'Sam Rivera');
    assert.equal(accepted[1].team.id, '19:dddddddddddddddddddddddddddddddd@thread.tacv2');
    assert.equal(accepted[1].channel.id, '19:cccccccccccccccccccccccccccccccc@thread.tacv2');
    for (const request of receiver.requests) {
      const signature = request.headers['x-records-signature'] as string;
      assert.ok(verifyEventSignature(request.body, signature, SECRET), 'signature verifies');
    }
    assert.equal(new Set(accepted.map((event) => event.id)).size, 3);
    assert.equal(events()[0].id, events()[2].id, 'the retried event kept its id');
    assert.equal(linesWith(live.logs, 'event delivery failed; will retry').length, 2);
  });

  it('logs deliveries as the records part', async () => {
    const live = await start(() => 204);
    await sendMention(live, 'employee add Ana');
    await waitUntil(() => linesWith(live.logs, 'event delivered').length === 1, 'a delivery');

    const [delivered] = linesWith(live.logs, 'event delivered');
    assert.equal(delivered.part, 'records');
    assert.equal(delivered.worker, 'outbox');
  });

  it('replies without waiting for a hanging receiver', async () => {
    const live = await start(() => 'hang', 60_000);
    const started = performance.now();
    const response = await sendMention(live, 'employee add Ana');
    const elapsed = performance.now() - started;
    assert.equal(response.status, 200);
    assert.ok(response.reply?.attachments, 'the reply has the record card');
    await waitUntil(() => receiver.requests.length === 1, 'the receiver gets the event');
    // The receiver never responds and the request timeout is 60 s, so a reply that waited for
    // the delivery would take a minute.
    assert.ok(elapsed < 5000, `the reply took ${elapsed} ms`);
  });

  it('sends one event for an activity delivered twice', async () => {
    const live = await start(() => 200);
    const body = JSON.stringify(buildMessageActivity('employee add Ana'));
    await postSigned(live, body);
    await postSigned(live, body);
    await sendMention(live, 'employee add Kim');
    await waitUntil(() => receiver.accepted.length === 2, 'two events are accepted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      events().map((event) => event.recordId),
      ['E-1001', 'E-1002'],
    );
  });

  it('resumes pending events after a restart without losing or renaming any', async () => {
    let receiverUp = false;
    const first = await start(() => (receiverUp ? 200 : 503));
    await sendMention(first, 'employee add Ana');
    await sendMention(first, 'employee add Kim');
    await sendMention(first, 'employee set E-1001 title=Lead');
    await waitUntil(() => receiver.requests.length >= 3, 'some deliveries fail');
    await stop();
    const idsBeforeRestart = new Set(events().map((event) => event.id));
    const requestsBeforeRestart = receiver.requests.length;

    receiverUp = true;
    const second = await start(() => 200);
    assert.ok(
      linesWith(second.logs, 'event delivery started').some((line) => line.pending === 3),
      'the new app finds three pending events',
    );
    await sendMention(second, 'employee set E-1002 title=Engineer');
    await waitUntil(() => receiver.accepted.length === 4, 'every event is accepted');

    const accepted = receiver.accepted as unknown as RecordEvent[];
    assert.equal(new Set(accepted.map((event) => event.id)).size, 4, 'no event was accepted twice');
    for (const id of idsBeforeRestart) {
      assert.ok(
        accepted.some((event) => event.id === id),
        `event ${id} was delivered after the restart`,
      );
    }
    const anaEvents = accepted.filter((event) => event.recordId === 'E-1001');
    assert.deepEqual(
      anaEvents.map((event) => event.operation),
      ['create', 'update'],
    );
    const kimEvents = accepted.filter((event) => event.recordId === 'E-1002');
    assert.deepEqual(
      kimEvents.map((event) => event.operation),
      ['create', 'update'],
    );
    assert.ok(receiver.requests.length > requestsBeforeRestart);
  });
});
