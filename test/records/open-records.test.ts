import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { openRecords, type Records } from '../../src/records';
import { createTempFolder, EventReceiver, originFor, waitUntil } from './helpers';

/**
 * Returns the keys of a JSON line in the order written, at any depth. JSON.parse keeps only the
 * last of repeated keys, so this reads them from the text.
 */
function keysAsWritten(line: string): string[] {
  return [...line.matchAll(/[{,]"((?:[^"\\]|\\.)*)":/g)].map((match) => match[1]);
}

describe('openRecords', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let receiver: EventReceiver;
  let records: Records;

  beforeEach(async () => {
    folder = createTempFolder();
    receiver = await EventReceiver.start(() => 204);
  });

  afterEach(async () => {
    await records.close();
    await receiver.close();
    folder.remove();
  });

  it('writes outbox log lines without repeated keys', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8').trim());
        done();
      },
    });
    const logger = createLogger('debug', sink).child({ part: 'records' });
    records = openRecords(
      {
        databasePath: folder.databasePath,
        eventUrl: receiver.url,
        eventSecret: 'secret',
        editorIds: [],
      },
      logger,
    );

    records.service.add(originFor(), { name: 'Ana' });
    const isDelivered = (line: string) => line.includes('"msg":"event delivered"');
    await waitUntil(() => lines.some(isDelivered), 'the event is delivered');

    for (const line of lines) {
      const keys = keysAsWritten(line);
      assert.deepEqual(keys, [...new Set(keys)], line);
    }
    const delivered = JSON.parse(lines.find(isDelivered) ?? '{}') as Record<string, unknown>;
    assert.equal(delivered.part, 'records');
    assert.equal(delivered.worker, 'outbox');
  });
});
