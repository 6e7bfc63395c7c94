import type Database from 'better-sqlite3';

/**
 * Outcome of a processed activity, kept so that a second delivery gets the same reply. It
 * contains ids only, never field values, so purging a record needs no change here.
 */
export type StoredOutcome =
  | { kind: 'change'; auditId: number }
  | { kind: 'removal-requested'; recordNumber: number; expiresAt: number };

/** Key of one Teams activity within a tenant. */
export interface ActivityKey {
  tenantId: string;
  conversationId: string;
  activityId: string;
}

/** SQL access to `processed_activities`, the ids of activities that changed something. */
export class ProcessedActivityTable {
  constructor(private readonly db: Database.Database) {}

  find(key: ActivityKey): StoredOutcome | undefined {
    const row = this.db
      .prepare(
        `SELECT outcome FROM processed_activities
         WHERE tenant_id = ? AND conversation_id = ? AND activity_id = ?`,
      )
      .get(key.tenantId, key.conversationId, key.activityId) as { outcome: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.outcome) as StoredOutcome);
  }

  insert(key: ActivityKey, outcome: StoredOutcome, at: number): void {
    this.db
      .prepare(
        `INSERT INTO processed_activities (tenant_id, conversation_id, activity_id, outcome,
           processed_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(key.tenantId, key.conversationId, key.activityId, JSON.stringify(outcome), at);
  }

  /** Deletes entries processed before `before`; returns how many. */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM processed_activities WHERE processed_at < ?').run(before)
      .changes;
  }
}

/** SQL access to `pending_removals`, the removals waiting for their confirmation. */
export class PendingRemovalTable {
  constructor(private readonly db: Database.Database) {}

  /** Stores or renews the request of `requestedBy` to remove a record. */
  upsert(tenantId: string, recordNumber: number, requestedBy: string, expiresAt: number): void {
    this.db
      .prepare(
        `INSERT INTO pending_removals (tenant_id, record_number, requested_by, expires_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, record_number, requested_by)
         DO UPDATE SET expires_at = excluded.expires_at`,
      )
      .run(tenantId, recordNumber, requestedBy, expiresAt);
  }

  /** Returns when the request of `requestedBy` expires, or undefined when there is none. */
  expiryOf(tenantId: string, recordNumber: number, requestedBy: string): number | undefined {
    const row = this.db
      .prepare(
        `SELECT expires_at FROM pending_removals
         WHERE tenant_id = ? AND record_number = ? AND requested_by = ?`,
      )
      .get(tenantId, recordNumber, requestedBy) as { expires_at: number } | undefined;
    return row?.expires_at;
  }

  /** Deletes every pending request to remove one record. */
  deleteForRecord(tenantId: string, recordNumber: number): void {
    this.db
      .prepare('DELETE FROM pending_removals WHERE tenant_id = ? AND record_number = ?')
      .run(tenantId, recordNumber);
  }

  /** Deletes requests that have expired at `now`; returns how many. */
  deleteExpired(now: number): number {
    return this.db.prepare('DELETE FROM pending_removals WHERE expires_at <= ?').run(now).changes;
  }
}
