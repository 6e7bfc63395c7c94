import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/records/database';
import { EditorPolicy } from '../../src/records/editor-policy';
import {
  ConflictError,
  InvalidInputError,
  NotAllowedError,
  RecordNotFoundError,
} from '../../src/records/errors';
import { OutboxTable } from '../../src/records/outbox-table';
import { RecordsReader } from '../../src/records/records-reader';
import { RecordsService, REMOVAL_CONFIRMATION_MS } from '../../src/records/records-service';
import { captureLogs, createTempFolder, EDITOR, linesWith, originFor, TENANT } from './helpers';

describe('RecordsService', () => {
  let folder: ReturnType<typeof createTempFolder>;
  let db: Database.Database;
  let logs: ReturnType<typeof captureLogs>;
  let clock: { now: number };
  let commits: number;

  function createService(editorIds: string[] = [], events = true) {
    return new RecordsService({
      db,
      logger: logs.logger,
      editors: new EditorPolicy(editorIds, logs.logger),
      outbox: events ? new OutboxTable(db) : undefined,
      now: () => new Date(clock.now),
      onCommit: () => {
        commits += 1;
      },
    });
  }

  const stored = (recordNumber: number) =>
    new RecordsReader(db, logs.logger).get(TENANT, recordNumber, EDITOR);

  const count = (table: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeEach(() => {
    folder = createTempFolder();
    logs = captureLogs();
    db = openDatabase(folder.databasePath, logs.logger);
    clock = { now: Date.parse('2025-03-04T13:05:00Z') };
    commits = 0;
  });

  afterEach(() => {
    db.close();
    folder.remove();
  });

  describe('add', () => {
    it('stores the record, the audit entry, the event and the activity together', () => {
      const service = createService();
      const result = service.add(originFor(), { name: 'Ana Núñez', title: 'Engineer' });
      assert.equal(result.status, 'applied');
      assert.equal(result.record.id, 'E-1001');
      assert.equal(result.record.fields.title, 'Engineer');
      assert.equal(result.entry.operation, 'create');
      assert.deepEqual(result.entry.changes, [
        { field: 'name', before: null, after: 'Ana Núñez', erased: false },
        { field: 'title', before: null, after: 'Engineer', erased: false },
      ]);
      assert.equal(count('records'), 1);
      assert.equal(count('audit_entries'), 1);
      assert.equal(count('outbox'), 1);
      assert.equal(count('processed_activities'), 1);
      assert.equal(commits, 1);
    });

    it('numbers records one after another', () => {
      const service = createService();
      assert.equal(service.add(originFor(), { name: 'A' }).record.id, 'E-1001');
      assert.equal(service.add(originFor(), { name: 'B' }).record.id, 'E-1002');
    });

    it('queues no event when events are off', () => {
      const service = createService([], false);
      service.add(originFor(), { name: 'Ana' });
      assert.equal(count('outbox'), 0);
      assert.equal(commits, 0);
    });

    it('rejects a record without a name', () => {
      assert.throws(() => createService().add(originFor(), { title: 'x' }), InvalidInputError);
      assert.equal(count('records'), 0);
    });
  });

  describe('same activity twice', () => {
    it('applies an add once and replays its outcome', () => {
      const service = createService();
      const origin = originFor();
      const first = service.add(origin, { name: 'Ana' });
      const second = service.add(origin, { name: 'Ana' });
      assert.equal(second.status, 'duplicate');
      assert.equal(second.record.id, first.record.id);
      assert.equal(second.entry.id, first.entry.id);
      assert.equal(count('records'), 1);
      assert.equal(count('audit_entries'), 1);
      assert.equal(count('outbox'), 1);
      assert.equal(commits, 1);
      assert.equal(
        linesWith(
          logs.lines,
          'activity already processed; replaying its outcome without changing anything',
        ).length,
        1,
      );
    });

    it('applies an update once even after a later change', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana', title: 'Engineer' });
      const origin = originFor();
      service.update(origin, record.number, { title: 'Lead' });
      service.update(originFor(), record.number, { title: 'Principal' });
      const replay = service.update(origin, record.number, { title: 'Lead' });
      assert.equal(replay.status, 'duplicate');
      assert.equal(stored(record.number).fields.title, 'Principal');
      assert.equal(count('audit_entries'), 3);
    });

    it('treats the same activity id in another conversation as new', () => {
      const service = createService();
      const origin = originFor();
      service.add(origin, { name: 'Ana' });
      const other = {
        conversationId: '19:other@thread.tacv2',
        activityId: origin.activity?.activityId ?? '',
      };
      assert.equal(service.add({ ...origin, activity: other }, { name: 'Ana' }).status, 'applied');
      assert.equal(count('records'), 2);
    });

    it('applies changes without an activity id every time', () => {
      const service = createService();
      service.add(originFor({ activity: undefined }), { name: 'Ana' });
      service.add(originFor({ activity: undefined }), { name: 'Ana' });
      assert.equal(count('records'), 2);
      assert.equal(count('processed_activities'), 0);
    });
  });

  describe('update', () => {
    it('records only the fields that change, with before and after', () => {
      const service = createService();
      const { record } = service.add(originFor(), {
        name: 'Ana',
        title: 'Engineer',
        location: 'Berlin',
      });
      const result = service.update(originFor(), record.number, {
        title: 'Lead',
        location: 'Berlin',
        manager: 'Chloé',
      });
      assert.ok(result.status === 'applied');
      assert.deepEqual(result.entry.changes, [
        { field: 'title', before: 'Engineer', after: 'Lead', erased: false },
        { field: 'manager', before: null, after: 'Chloé', erased: false },
      ]);
      assert.equal(result.record.fields.location, 'Berlin');
    });

    it('writes nothing when no value changes', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana', title: 'Engineer' });
      const result = service.update(originFor(), record.number, { title: 'Engineer' });
      assert.equal(result.status, 'unchanged');
      assert.equal(count('audit_entries'), 1);
      assert.equal(count('outbox'), 1);
      assert.equal(count('processed_activities'), 1);
    });

    it('clears a field with null', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana', title: 'Engineer' });
      const result = service.update(originFor(), record.number, { title: null });
      assert.equal(result.record.fields.title, null);
    });

    it('rolls everything back when the event cannot be stored', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana', title: 'Engineer' });
      db.exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox
               BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END`);
      assert.throws(
        () => service.update(originFor(), record.number, { title: 'Lead' }),
        /outbox unavailable/,
      );
      assert.equal(stored(record.number).fields.title, 'Engineer');
      assert.equal(count('audit_entries'), 1);
      assert.equal(count('processed_activities'), 1);
      assert.equal(commits, 1);
    });
  });

  describe('tenants', () => {
    it('never finds a record of another tenant', () => {
      const service = createService();
      const reader = new RecordsReader(db, logs.logger);
      const { record } = service.add(originFor(), { name: 'Ana' });
      const other = originFor({ tenantId: 'other-tenant' });
      assert.throws(() => reader.get('other-tenant', record.number, EDITOR), RecordNotFoundError);
      assert.throws(
        () => service.update(other, record.number, { title: 'x' }),
        RecordNotFoundError,
      );
      assert.throws(() => service.requestRemoval(other, record.number), RecordNotFoundError);
      assert.deepEqual(reader.findByName('other-tenant', 'Ana', 10), []);
      assert.equal(reader.list('other-tenant', '', 1, 10).total, 0);
      assert.equal(reader.changes('other-tenant', { limit: 10 }).total, 0);
      assert.throws(
        () => reader.changes('other-tenant', { recordNumber: record.number, limit: 10 }),
        RecordNotFoundError,
      );
    });
  });

  describe('editors', () => {
    it('lets listed editors change records, in any letter case', () => {
      const service = createService([EDITOR.toUpperCase()]);
      assert.equal(service.add(originFor(), { name: 'Ana' }).status, 'applied');
    });

    it('rejects and logs everyone else', () => {
      const service = createService(['aaaaaaaa-0000-4000-8000-000000000000']);
      assert.throws(
        () => service.add(originFor(), { name: 'Ana' }),
        (error: Error) => {
          assert.ok(error instanceof NotAllowedError);
          assert.match(error.message, new RegExp(`your account \\(${EDITOR}\\) is not one`));
          assert.match(error.message, /RECORDS_EDITOR_IDS/);
          return true;
        },
      );
      const [line] = linesWith(logs.lines, 'record change rejected');
      assert.equal(line.userId, EDITOR);
      assert.equal(line.reason, 'not_an_editor');
      assert.equal(line.action, 'add');
      assert.equal(count('records'), 0);
    });

    it('rejects a change from a sender without an AAD object id', () => {
      const service = createService();
      const origin = originFor({ actor: { name: 'Guest', aadObjectId: '' } });
      assert.throws(() => service.add(origin, { name: 'Ana' }), /no Azure AD object id/);
      assert.equal(linesWith(logs.lines, 'record change rejected')[0].reason, 'no_aad_object_id');
    });
  });

  describe('removal', () => {
    it('removes after a confirmation from the same person', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      const request = service.requestRemoval(originFor(), record.number);
      assert.equal(request.expiresAt.getTime(), clock.now + REMOVAL_CONFIRMATION_MS);
      clock.now += REMOVAL_CONFIRMATION_MS - 1;
      const result = service.confirmRemoval(originFor(), record.number);
      assert.equal(result.entry.operation, 'remove');
      assert.equal(result.record.removedAt?.getTime(), clock.now);
      assert.equal(result.record.removedBy?.name, 'Sam Rivera');
      assert.equal(count('pending_removals'), 0);
    });

    it('replays a repeated request without renewing it', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      const origin = originFor();
      const first = service.requestRemoval(origin, record.number);
      clock.now += 60_000;
      const again = service.requestRemoval(origin, record.number);
      assert.equal(again.status, 'duplicate');
      assert.equal(again.expiresAt.getTime(), first.expiresAt.getTime());
      const stored = db.prepare('SELECT expires_at FROM pending_removals').pluck().get();
      assert.equal(stored, first.expiresAt.getTime());
    });

    it('rejects a confirmation after five minutes', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      service.requestRemoval(originFor(), record.number);
      clock.now += REMOVAL_CONFIRMATION_MS;
      assert.throws(() => service.confirmRemoval(originFor(), record.number), /expired/);
      assert.equal(stored(record.number).removedAt, undefined);
    });

    it('rejects a confirmation from someone else', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      service.requestRemoval(originFor(), record.number);
      const other = originFor({
        actor: { name: 'Kim', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000000' },
      });
      assert.throws(
        () => service.confirmRemoval(other, record.number),
        /no removal of E-1001 waiting for your confirmation/,
      );
    });

    it('rejects a confirmation without a request', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      assert.throws(() => service.confirmRemoval(originFor(), record.number), ConflictError);
    });

    it('keeps a pending request in the database', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      service.requestRemoval(originFor(), record.number);
      assert.equal(
        createService().confirmRemoval(originFor(), record.number).entry.operation,
        'remove',
      );
    });

    it('rejects changes to a removed record', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      service.requestRemoval(originFor(), record.number);
      service.confirmRemoval(originFor(), record.number);
      assert.throws(
        () => service.update(originFor(), record.number, { title: 'x' }),
        /was removed, so it cannot be changed/,
      );
      assert.throws(() => service.requestRemoval(originFor(), record.number), ConflictError);
    });
  });

  describe('purge', () => {
    it('erases the fields from the record, the audit trail and the events', () => {
      const service = createService();
      const reader = new RecordsReader(db, logs.logger);
      const { record } = service.add(originFor(), { name: 'Ana Núñez', email: 'ana@contoso.com' });
      service.update(originFor(), record.number, { title: 'Lead' });
      service.requestRemoval(originFor(), record.number);
      service.confirmRemoval(originFor(), record.number);
      const result = service.purge(originFor(), record.number);

      assert.equal(result.entry.operation, 'purge');
      assert.ok(result.record.purgedAt);
      assert.deepEqual(Object.values(result.record.fields), [
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
      const { entries } = reader.changes(TENANT, { recordNumber: record.number, limit: 10 });
      assert.deepEqual(
        entries.map((entry) => entry.operation),
        ['create', 'update', 'remove', 'purge'],
      );
      for (const change of entries.flatMap((entry) => entry.changes)) {
        assert.deepEqual([change.before, change.after, change.erased], [null, null, true]);
      }
      const bodies = db.prepare('SELECT body FROM outbox').pluck().all() as string[];
      assert.equal(bodies.length, 4);
      for (const body of bodies) {
        assert.doesNotMatch(body, /Ana|contoso|Lead/);
      }
      const stored = db.prepare('SELECT name_key, search_key FROM records').get();
      assert.deepEqual(stored, { name_key: '', search_key: '' });
      assert.deepEqual(reader.findByName(TENANT, 'Ana', 10), []);
    });

    it('erases queued events even after events were turned off', () => {
      const { record } = createService().add(originFor(), { name: 'Ana Núñez' });
      const service = createService([], false);
      service.requestRemoval(originFor(), record.number);
      service.confirmRemoval(originFor(), record.number);
      service.purge(originFor(), record.number);
      const [body] = db.prepare('SELECT body FROM outbox').pluck().all() as string[];
      assert.doesNotMatch(body, /Ana/);
      assert.match(body, /"erased":true/);
    });

    it('rejects a record that is not removed or already purged', () => {
      const service = createService();
      const { record } = service.add(originFor(), { name: 'Ana' });
      assert.throws(() => service.purge(originFor(), record.number), /is not removed/);
      service.requestRemoval(originFor(), record.number);
      service.confirmRemoval(originFor(), record.number);
      service.purge(originFor(), record.number);
      assert.throws(() => service.purge(originFor(), record.number), /already erased/);
    });
  });

  describe('bookkeeping', () => {
    it('prunes processed activities after seven days', () => {
      const service = createService();
      service.add(originFor(), { name: 'Ana' });
      clock.now += 7 * 24 * 3600 * 1000 + 1;
      service.add(originFor(), { name: 'Kim' });
      assert.equal(count('processed_activities'), 1);
    });
  });
});
