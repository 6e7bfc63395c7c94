import type Database from 'better-sqlite3';

/** One event waiting in the outbox. */
export interface OutboxRow {
  seq: number;
  eventId: string;
  recordNumber: number;
  body: string;
  attempts: number;
}

interface Row {
  seq: number;
  event_id: string;
  record_number: number;
  body: string;
  attempts: number;
}

// The oldest undelivered event of each record; later events of that record wait behind it.
const HEADS = `
  FROM outbox o
  WHERE o.delivered_at IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM outbox p
      WHERE p.record_number = o.record_number AND p.delivered_at IS NULL AND p.seq < o.seq)`;

/** SQL access to the `outbox` table of events for the line-of-business app. */
export class OutboxTable {
  constructor(private readonly db: Database.Database) {}

  insert(eventId: string, recordNumber: number, body: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO outbox (event_id, record_number, body, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(eventId, recordNumber, body, at, at);
  }

  /** Returns up to `limit` heads of record queues that are due at `now`, oldest first. */
  dueHeads(now: number, limit: number): OutboxRow[] {
    const rows = this.db
      .prepare(
        `SELECT o.seq, o.event_id, o.record_number, o.body, o.attempts ${HEADS}
           AND o.next_attempt_at <= ?
         ORDER BY o.seq LIMIT ?`,
      )
      .all(now, limit) as Row[];
    return rows.map((row) => ({
      seq: row.seq,
      eventId: row.event_id,
      recordNumber: row.record_number,
      body: row.body,
      attempts: row.attempts,
    }));
  }

  /** Returns when the next queued event falls due, or undefined when nothing is queued. */
  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(o.next_attempt_at) AS due ${HEADS}`).get() as {
      due: number | null;
    };
    return row.due ?? undefined;
  }

  /** Counts events not delivered yet. */
  pendingCount(): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS pending FROM outbox WHERE delivered_at IS NULL')
      .get() as { pending: number };
    return row.pending;
  }

  markDelivered(seq: number, attempts: number, at: number): void {
    this.db
      .prepare('UPDATE outbox SET delivered_at = ?, attempts = ?, last_error = NULL WHERE seq = ?')
      .run(at, attempts, seq);
  }

  markFailed(seq: number, attempts: number, nextAttemptAt: number, error: string): void {
    this.db
      .prepare('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE seq = ?')
      .run(attempts, nextAttemptAt, error, seq);
  }

  /** Replaces the body of every event of one record with `rewrite(body)`. */
  rewriteBodies(recordNumber: number, rewrite: (body: string) => string): void {
    const rows = this.db
      .prepare('SELECT seq, body FROM outbox WHERE record_number = ?')
      .all(recordNumber) as { seq: number; body: string }[];
    const update = this.db.prepare('UPDATE outbox SET body = ? WHERE seq = ?');
    for (const row of rows) {
      update.run(rewrite(row.body), row.seq);
    }
  }
}
