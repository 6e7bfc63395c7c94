import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { AuditTable } from './audit-table';
import { ChangeJournal } from './change-journal';
import { EditorPolicy } from './editor-policy';
import { ConflictError, InvalidInputError } from './errors';
import { eraseEventValues } from './events';
import { emptyFields, FIELD_KEYS, type FieldKey, type FieldValues } from './fields';
import { OutboxTable } from './outbox-table';
import {
  requireLiveRecord,
  requirePendingRemoval,
  requirePurgeable,
  requireRecord,
} from './record-guards';
import { RecordTable } from './record-table';
import { PendingRemovalTable, ProcessedActivityTable, type StoredOutcome } from './request-tables';
import type { AuditEntry, ChangeOrigin, EmployeeRecord } from './types';

/** A removal takes effect only when confirmed within this many milliseconds: five minutes. */
export const REMOVAL_CONFIRMATION_MS = 5 * 60 * 1000;

/**
 * Processed activity ids are kept this long, in milliseconds: seven days. The redeliveries
 * reported for Teams came about a second after the first delivery, so a week leaves a wide margin.
 */
export const PROCESSED_ACTIVITY_RETENTION_MS = 7 * 24 * 3600 * 1000;

const PRUNE_INTERVAL_MS = 3600 * 1000;

export interface RecordsServiceOptions {
  db: Database.Database;
  logger: Logger;
  editors: EditorPolicy;
  /** Outbox table for the event of each change; absent when events are off. */
  outbox?: OutboxTable;
  /** Clock for change times and confirmation windows. */
  now: () => Date;
  /** Called after a change with an event has committed, to wake the delivery worker. */
  onCommit?: () => void;
}

/** A committed change, or the stored one when the same activity arrived again. */
export interface ChangeResult {
  status: 'applied' | 'duplicate';
  entry: AuditEntry;
  record: EmployeeRecord;
}

export type UpdateResult = ChangeResult | { status: 'unchanged'; record: EmployeeRecord };

export interface RemovalRequest {
  status: 'requested' | 'duplicate';
  record: EmployeeRecord;
  expiresAt: Date;
}

/**
 * Changes employee records. Each change checks the editor list, then commits the record, its
 * audit entry, its event and the activity id in one transaction. When the same activity
 * arrives again, the service returns the stored outcome and changes nothing.
 */
export class RecordsService {
  private readonly records: RecordTable;
  private readonly audit: AuditTable;
  private readonly pending: PendingRemovalTable;
  private readonly processed: ProcessedActivityTable;
  private readonly journal: ChangeJournal;
  private lastPruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RecordsServiceOptions) {
    const { db } = options;
    this.records = new RecordTable(db);
    this.audit = new AuditTable(db);
    this.pending = new PendingRemovalTable(db);
    this.processed = new ProcessedActivityTable(db);
    this.journal = new ChangeJournal({
      db,
      audit: this.audit,
      processed: this.processed,
      outbox: options.outbox,
      logger: options.logger,
      onCommit: options.onCommit,
    });
  }

  add(origin: ChangeOrigin, values: FieldValues): ChangeResult {
    this.options.editors.requireEditor(origin, 'add');
    if (!values.name) {
      throw new InvalidInputError('A new record needs a name.');
    }
    return this.change<ChangeResult>(origin, (at) => {
      const fields = { ...emptyFields(), ...values };
      const recordNumber = this.records.insert(origin.tenantId, fields, at);
      const changes = FIELD_KEYS.filter((key) => fields[key] !== null).map((key) =>
        fieldChange(key, null, fields[key]),
      );
      return this.journal.record(origin, recordNumber, 'create', changes, at);
    });
  }

  update(origin: ChangeOrigin, recordNumber: number, values: FieldValues): UpdateResult {
    this.options.editors.requireEditor(origin, 'set', recordNumber);
    return this.change<UpdateResult>(origin, (at) => {
      const record = requireLiveRecord(this.records, origin.tenantId, recordNumber);
      const changes = FIELD_KEYS.filter(
        (key) => values[key] !== undefined && values[key] !== record.fields[key],
      ).map((key) => fieldChange(key, record.fields[key], values[key] ?? null));
      if (changes.length === 0) {
        return { status: 'unchanged', record };
      }
      this.records.update(origin.tenantId, recordNumber, { ...record.fields, ...values }, at);
      return this.journal.record(origin, recordNumber, 'update', changes, at);
    });
  }

  /** Starts a removal that `confirmRemoval` by the same person completes within five minutes. */
  requestRemoval(origin: ChangeOrigin, recordNumber: number): RemovalRequest {
    this.options.editors.requireEditor(origin, 'remove', recordNumber);
    const at = this.tick();
    return this.journal.runOnce<RemovalRequest>(
      origin,
      () => {
        const record = requireLiveRecord(this.records, origin.tenantId, recordNumber);
        const expiresAt = at + REMOVAL_CONFIRMATION_MS;
        this.pending.upsert(origin.tenantId, recordNumber, actorKey(origin), expiresAt);
        return {
          value: { status: 'requested', record, expiresAt: new Date(expiresAt) },
          outcome: { kind: 'removal-requested', recordNumber, expiresAt },
        };
      },
      (stored) => {
        if (stored.kind !== 'removal-requested') {
          throw new ConflictError('This message was already handled.');
        }
        const record = requireRecord(this.records, origin.tenantId, stored.recordNumber);
        return { status: 'duplicate', record, expiresAt: new Date(stored.expiresAt) };
      },
      at,
    );
  }

  /** Removes a record whose removal the same person requested within the last five minutes. */
  confirmRemoval(origin: ChangeOrigin, recordNumber: number): ChangeResult {
    this.options.editors.requireEditor(origin, 'remove', recordNumber);
    return this.change<ChangeResult>(origin, (at) => {
      const record = requireLiveRecord(this.records, origin.tenantId, recordNumber);
      const expiresAt = this.pending.expiryOf(origin.tenantId, recordNumber, actorKey(origin));
      requirePendingRemoval(record.id, expiresAt, at);
      this.pending.deleteForRecord(origin.tenantId, recordNumber);
      this.records.markRemoved(origin.tenantId, recordNumber, origin.actor, at);
      return this.journal.record(origin, recordNumber, 'remove', [], at);
    });
  }

  /**
   * Erases the fields of a removed record from the record, its audit trail and its queued and
   * sent events, and records that the purge happened.
   */
  purge(origin: ChangeOrigin, recordNumber: number): ChangeResult {
    this.options.editors.requireEditor(origin, 'purge', recordNumber);
    return this.change<ChangeResult>(origin, (at) => {
      requirePurgeable(requireRecord(this.records, origin.tenantId, recordNumber));
      this.records.erase(origin.tenantId, recordNumber, at);
      this.audit.eraseRecord(origin.tenantId, recordNumber);
      // Also events queued while RECORDS_EVENT_URL was set, if it has been unset since.
      new OutboxTable(this.options.db).rewriteBodies(recordNumber, eraseEventValues);
      return this.journal.record(origin, recordNumber, 'purge', [], at);
    });
  }

  /**
   * Runs one change through the journal. `apply` returns the id of the audit entry it wrote,
   * or a result that wrote nothing.
   */
  private change<T extends ChangeResult | UpdateResult>(
    origin: ChangeOrigin,
    apply: (at: number) => number | T,
  ): T {
    const at = this.tick();
    return this.journal.runOnce<T>(
      origin,
      () => {
        const applied = apply(at);
        if (typeof applied !== 'number') {
          return { value: applied };
        }
        return {
          value: this.changeResult(origin.tenantId, applied, 'applied') as T,
          outcome: { kind: 'change', auditId: applied },
        };
      },
      (stored) => this.replayChange(origin.tenantId, stored) as T,
      at,
    );
  }

  private changeResult(tenantId: string, auditId: number, status: ChangeResult['status']) {
    const entry = this.audit.get(tenantId, auditId);
    if (entry === undefined) {
      throw new ConflictError('This message was already handled.');
    }
    return { status, entry, record: requireRecord(this.records, tenantId, entry.recordNumber) };
  }

  private replayChange(tenantId: string, stored: StoredOutcome): ChangeResult {
    if (stored.kind !== 'change') {
      throw new ConflictError('This message was already handled.');
    }
    return this.changeResult(tenantId, stored.auditId, 'duplicate');
  }

  /** Returns the current time in milliseconds, pruning old bookkeeping once an hour. */
  private tick(): number {
    const now = this.options.now().getTime();
    if (now - this.lastPruneAt >= PRUNE_INTERVAL_MS) {
      this.lastPruneAt = now;
      const pruned = this.processed.prune(now - PROCESSED_ACTIVITY_RETENTION_MS);
      const expired = this.pending.deleteExpired(now);
      this.options.logger.debug({ pruned, expired }, 'records bookkeeping pruned');
    }
    return now;
  }
}

function fieldChange(field: FieldKey, before: string | null, after: string | null) {
  return { field, before, after, erased: false };
}

function actorKey(origin: ChangeOrigin): string {
  return origin.actor.aadObjectId.toLowerCase();
}
