import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import type { AuditTable } from './audit-table';
import { buildEventBody } from './events';
import type { OutboxTable } from './outbox-table';
import { formatRecordId } from './record-id';
import type { ActivityKey, ProcessedActivityTable, StoredOutcome } from './request-tables';
import type { ChangeOrigin, FieldChange, Operation } from './types';

/** Result of a change: the caller's value and, when the change wrote, the outcome to store. */
export interface Applied<T> {
  value: T;
  /** Absent when nothing was written, so a second delivery is evaluated again. */
  outcome?: StoredOutcome;
}

export interface ChangeJournalOptions {
  db: Database.Database;
  audit: AuditTable;
  processed: ProcessedActivityTable;
  /** Set when events are sent, so every change also queues one. */
  outbox?: OutboxTable;
  logger: Logger;
  /** Called after a transaction that queued an event has committed. */
  onCommit?: () => void;
}

/**
 * Commits changes: the change itself, its audit entry, its outbox event and the id of the
 * Teams activity that asked for it, all in one transaction.
 */
export class ChangeJournal {
  private queuedEvents = 0;

  constructor(private readonly options: ChangeJournalOptions) {}

  /**
   * Runs `apply` in an immediate transaction, unless `origin.activity` was processed before;
   * then returns `replay(stored outcome)` and writes nothing. Errors roll everything back.
   */
  runOnce<T>(
    origin: ChangeOrigin,
    apply: () => Applied<T>,
    replay: (stored: StoredOutcome) => T,
    at: number,
  ): T {
    const key = activityKeyOf(origin);
    this.queuedEvents = 0;
    const transaction = this.options.db.transaction((): T => {
      const stored = key === undefined ? undefined : this.options.processed.find(key);
      if (stored !== undefined) {
        this.options.logger.info(
          { ...key, userId: origin.actor.aadObjectId },
          'activity already processed; replaying its outcome without changing anything',
        );
        return replay(stored);
      }
      const applied = apply();
      if (key !== undefined && applied.outcome !== undefined) {
        this.options.processed.insert(key, applied.outcome, at);
      }
      return applied.value;
    });
    let value: T;
    try {
      value = transaction.immediate();
    } catch (error) {
      // The transaction rolled back, so the events counted so far were never stored.
      this.queuedEvents = 0;
      throw error;
    }
    if (this.queuedEvents > 0) {
      this.queuedEvents = 0;
      this.options.onCommit?.();
    }
    return value;
  }

  /** Inserts the audit entry of a change and queues its event. Call inside runOnce. */
  record(
    origin: ChangeOrigin,
    recordNumber: number,
    operation: Operation,
    changes: FieldChange[],
    at: number,
  ): number {
    const entry = {
      tenantId: origin.tenantId,
      recordNumber,
      operation,
      actor: origin.actor,
      team: origin.team,
      channel: origin.channel,
      occurredAt: new Date(at),
      changes,
    };
    const auditId = this.options.audit.insert(entry);
    const recordId = formatRecordId(recordNumber);
    if (this.options.outbox !== undefined) {
      const eventId = randomUUID();
      const body = buildEventBody({ ...entry, id: auditId, recordId, recordName: null }, eventId);
      this.options.outbox.insert(eventId, recordNumber, body, at);
      this.queuedEvents += 1;
    }
    this.options.logger.info(
      {
        operation,
        recordId,
        tenantId: origin.tenantId,
        userId: origin.actor.aadObjectId,
        auditId,
        fields: changes.map((change) => change.field),
      },
      'record changed',
    );
    return auditId;
  }
}

function activityKeyOf(origin: ChangeOrigin): ActivityKey | undefined {
  const activity = origin.activity;
  if (activity === undefined || activity.activityId === '' || activity.conversationId === '') {
    return undefined;
  }
  return { tenantId: origin.tenantId, ...activity };
}
