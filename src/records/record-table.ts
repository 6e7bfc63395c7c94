import type Database from 'better-sqlite3';
import { FIELD_KEYS, foldForSearch, type FieldKey, type RecordFields } from './fields';
import { formatRecordId } from './record-id';
import type { Actor, EmployeeRecord } from './types';

const COLUMNS: Record<FieldKey, string> = {
  name: 'name',
  title: 'title',
  department: 'department',
  location: 'location',
  manager: 'manager',
  email: 'email',
  startDate: 'start_date',
};

interface RecordRow {
  number: number;
  tenant_id: string;
  name: string | null;
  title: string | null;
  department: string | null;
  location: string | null;
  manager: string | null;
  email: string | null;
  start_date: string | null;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
  removed_by_name: string | null;
  removed_by_aad_object_id: string | null;
  purged_at: number | null;
}

/** SQL access to the `records` table. Every query is limited to one tenant. */
export class RecordTable {
  constructor(private readonly db: Database.Database) {}

  /** Inserts a record and returns its number. */
  insert(tenantId: string, fields: RecordFields, at: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO records (tenant_id, ${fieldColumns()}, name_key, search_key, created_at,
           updated_at)
         VALUES (@tenantId, ${fieldParameters()}, @nameKey, @searchKey, @at, @at)`,
      )
      .run({ tenantId, at, ...fieldsWithKeys(fields) });
    return Number(result.lastInsertRowid);
  }

  get(tenantId: string, recordNumber: number): EmployeeRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM records WHERE tenant_id = ? AND number = ?')
      .get(tenantId, recordNumber) as RecordRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  update(tenantId: string, recordNumber: number, fields: RecordFields, at: number): void {
    const assignments = FIELD_KEYS.map((key) => `${COLUMNS[key]} = @${key}`).join(', ');
    this.db
      .prepare(
        `UPDATE records SET ${assignments}, name_key = @nameKey, search_key = @searchKey,
           updated_at = @at
         WHERE tenant_id = @tenantId AND number = @recordNumber`,
      )
      .run({ tenantId, recordNumber, at, ...fieldsWithKeys(fields) });
  }

  markRemoved(tenantId: string, recordNumber: number, actor: Actor, at: number): void {
    this.db
      .prepare(
        `UPDATE records SET removed_at = @at, removed_by_name = @name,
           removed_by_aad_object_id = @aadObjectId, updated_at = @at
         WHERE tenant_id = @tenantId AND number = @recordNumber`,
      )
      .run({ tenantId, recordNumber, at, ...actor });
  }

  /** Clears every field and the search keys of a removed record. */
  erase(tenantId: string, recordNumber: number, at: number): void {
    const cleared = FIELD_KEYS.map((key) => `${COLUMNS[key]} = NULL`).join(', ');
    this.db
      .prepare(
        `UPDATE records SET ${cleared}, name_key = '', search_key = '', purged_at = @at,
           updated_at = @at
         WHERE tenant_id = @tenantId AND number = @recordNumber`,
      )
      .run({ tenantId, recordNumber, at });
  }

  /** Lists records that are not removed whose name contains `text`, ignoring case and accents. */
  findByName(tenantId: string, text: string, limit: number): EmployeeRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM records
         WHERE tenant_id = ? AND removed_at IS NULL AND name_key LIKE ? ESCAPE '\\'
         ORDER BY name_key, number LIMIT ?`,
      )
      .all(tenantId, containsPattern(text), limit) as RecordRow[];
    return rows.map(toRecord);
  }

  /**
   * Lists up to `limit` records that are not removed whose whole name is `text`, ignoring case
   * and accents.
   */
  findByExactName(tenantId: string, text: string, limit: number): EmployeeRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM records
         WHERE tenant_id = ? AND removed_at IS NULL AND name_key = ?
         ORDER BY number LIMIT ?`,
      )
      .all(tenantId, foldForSearch(text), limit) as RecordRow[];
    return rows.map(toRecord);
  }

  /** Returns one page of records that are not removed and contain `text` in any field. */
  search(
    tenantId: string,
    text: string,
    offset: number,
    limit: number,
  ): { records: EmployeeRecord[]; total: number } {
    const where = `tenant_id = ? AND removed_at IS NULL AND search_key LIKE ? ESCAPE '\\'`;
    const pattern = containsPattern(text);
    const { total } = this.db
      .prepare(`SELECT COUNT(*) AS total FROM records WHERE ${where}`)
      .get(tenantId, pattern) as { total: number };
    const rows = this.db
      .prepare(`SELECT * FROM records WHERE ${where} ORDER BY name_key, number LIMIT ? OFFSET ?`)
      .all(tenantId, pattern, limit, offset) as RecordRow[];
    return { records: rows.map(toRecord), total };
  }
}

function fieldColumns(): string {
  return FIELD_KEYS.map((key) => COLUMNS[key]).join(', ');
}

function fieldParameters(): string {
  return FIELD_KEYS.map((key) => `@${key}`).join(', ');
}

function fieldsWithKeys(fields: RecordFields): Record<string, string | null> {
  const values = FIELD_KEYS.map((key) => fields[key]).filter((value) => value !== null);
  return {
    ...fields,
    nameKey: foldForSearch(fields.name ?? ''),
    // U+001F cannot be typed into a field, so a search never matches across two fields.
    searchKey: foldForSearch(values.join('\u001f')),
  };
}

function containsPattern(text: string): string {
  return `%${foldForSearch(text).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function toRecord(row: RecordRow): EmployeeRecord {
  const fields = Object.fromEntries(
    FIELD_KEYS.map((key) => [key, row[COLUMNS[key] as keyof RecordRow] as string | null]),
  ) as RecordFields;
  const record: EmployeeRecord = {
    id: formatRecordId(row.number),
    number: row.number,
    tenantId: row.tenant_id,
    fields,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  if (row.removed_at !== null) {
    record.removedAt = new Date(row.removed_at);
    record.removedBy = {
      name: row.removed_by_name ?? '',
      aadObjectId: row.removed_by_aad_object_id ?? '',
    };
  }
  if (row.purged_at !== null) {
    record.purgedAt = new Date(row.purged_at);
  }
  return record;
}
