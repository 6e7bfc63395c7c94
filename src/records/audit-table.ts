import type Database from 'better-sqlite3';
import { FIELD_KEYS, type FieldKey } from './fields';
import { formatRecordId } from './record-id';
import type { AuditEntry, FieldChange, Operation } from './types';

interface EntryRow {
  id: number;
  tenant_id: string;
  record_number: number;
  record_name: string | null;
  operation: Operation;
  actor_name: string;
  actor_aad_object_id: string;
  team_id: string;
  team_name: string | null;
  channel_id: string;
  channel_name: string | null;
  occurred_at: number;
}

interface ChangeRow {
  audit_id: number;
  field: FieldKey;
  before_value: string | null;
  after_value: string | null;
  erased: number;
}

/** Query of audit entries; `since` is a time in milliseconds since the epoch. */
export interface AuditQuery {
  recordNumber?: number;
  since?: number;
  limit: number;
}

const SELECT_ENTRIES = `
  SELECT a.*, r.name AS record_name FROM audit_entries a
  JOIN records r ON r.number = a.record_number`;

/** SQL access to `audit_entries` and `audit_changes`. Every query is limited to one tenant. */
export class AuditTable {
  constructor(private readonly db: Database.Database) {}

  /** Inserts an entry with its field changes and returns the entry id. */
  insert(entry: Omit<AuditEntry, 'id' | 'recordId' | 'recordName'>): number {
    const result = this.db
      .prepare(
        `INSERT INTO audit_entries (tenant_id, record_number, operation, actor_name,
           actor_aad_object_id, team_id, team_name, channel_id, channel_name, occurred_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.tenantId,
        entry.recordNumber,
        entry.operation,
        entry.actor.name,
        entry.actor.aadObjectId,
        entry.team.id,
        entry.team.name ?? null,
        entry.channel.id,
        entry.channel.name ?? null,
        entry.occurredAt.getTime(),
      );
    const auditId = Number(result.lastInsertRowid);
    const insertChange = this.db.prepare(
      `INSERT INTO audit_changes (audit_id, field, before_value, after_value, erased)
       VALUES (?, ?, ?, ?, ?)`,
    );
    for (const change of entry.changes) {
      insertChange.run(auditId, change.field, change.before, change.after, change.erased ? 1 : 0);
    }
    return auditId;
  }

  get(tenantId: string, auditId: number): AuditEntry | undefined {
    const row = this.db
      .prepare(`${SELECT_ENTRIES} WHERE a.tenant_id = ? AND a.id = ?`)
      .get(tenantId, auditId) as EntryRow | undefined;
    return row === undefined ? undefined : this.withChanges([row])[0];
  }

  /**
   * Lists entries oldest first. With `since`, these are the first `limit` entries at or after
   * that time; without it, the latest `limit` entries. `total` counts every matching entry.
   */
  list(tenantId: string, query: AuditQuery): { entries: AuditEntry[]; total: number } {
    const conditions = ['a.tenant_id = @tenantId'];
    if (query.recordNumber !== undefined) {
      conditions.push('a.record_number = @recordNumber');
    }
    if (query.since !== undefined) {
      conditions.push('a.occurred_at >= @since');
    }
    const where = conditions.join(' AND ');
    const parameters = { tenantId, recordNumber: query.recordNumber, since: query.since };

    const { total } = this.db
      .prepare(`SELECT COUNT(*) AS total FROM audit_entries a WHERE ${where}`)
      .get(parameters) as { total: number };
    const order = query.since === undefined ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`${SELECT_ENTRIES} WHERE ${where} ORDER BY a.id ${order} LIMIT @limit`)
      .all({ ...parameters, limit: query.limit }) as EntryRow[];
    if (order === 'DESC') {
      rows.reverse();
    }
    return { entries: this.withChanges(rows), total };
  }

  /** Clears the values of every field change of one record and marks them erased. */
  eraseRecord(tenantId: string, recordNumber: number): number {
    const result = this.db
      .prepare(
        `UPDATE audit_changes SET before_value = NULL, after_value = NULL, erased = 1
         WHERE audit_id IN (
           SELECT id FROM audit_entries WHERE tenant_id = ? AND record_number = ?)`,
      )
      .run(tenantId, recordNumber);
    return result.changes;
  }

  private withChanges(rows: EntryRow[]): AuditEntry[] {
    const changeRows = this.db
      .prepare('SELECT * FROM audit_changes WHERE audit_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(rows.map((row) => row.id))) as ChangeRow[];
    const byEntry = new Map<number, FieldChange[]>();
    for (const change of changeRows) {
      const changes = byEntry.get(change.audit_id) ?? [];
      changes.push({
        field: change.field,
        before: change.before_value,
        after: change.after_value,
        erased: change.erased === 1,
      });
      byEntry.set(change.audit_id, changes);
    }
    return rows.map((row) => toEntry(row, sortByField(byEntry.get(row.id) ?? [])));
  }
}

function sortByField(changes: FieldChange[]): FieldChange[] {
  return changes.sort((a, b) => FIELD_KEYS.indexOf(a.field) - FIELD_KEYS.indexOf(b.field));
}

function toEntry(row: EntryRow, changes: FieldChange[]): AuditEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    recordId: formatRecordId(row.record_number),
    recordNumber: row.record_number,
    recordName: row.record_name,
    operation: row.operation,
    actor: { name: row.actor_name, aadObjectId: row.actor_aad_object_id },
    team: place(row.team_id, row.team_name),
    channel: place(row.channel_id, row.channel_name),
    occurredAt: new Date(row.occurred_at),
    changes,
  };
}

function place(id: string, name: string | null) {
  return name === null ? { id } : { id, name };
}
