import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { AuditTable } from './audit-table';
import { RecordTable } from './record-table';
import { requireRecord } from './record-guards';
import type { AuditEntry, EmployeeRecord } from './types';

/** One page of records. */
export interface RecordPage {
  records: EmployeeRecord[];
  total: number;
  page: number;
  pageCount: number;
}

/** Query of audit entries; `since` is an instant, for example local midnight. */
export interface ChangesQuery {
  recordNumber?: number;
  since?: Date;
  limit: number;
}

/** Read access to the records and the audit trail of one tenant at a time. */
export class RecordsReader {
  private readonly records: RecordTable;
  private readonly audit: AuditTable;

  constructor(
    db: Database.Database,
    private readonly logger: Logger,
  ) {
    this.records = new RecordTable(db);
    this.audit = new AuditTable(db);
  }

  /** Returns a record, removed or not, and logs who read it. Throws RecordNotFoundError. */
  get(tenantId: string, recordNumber: number, readerId: string): EmployeeRecord {
    const record = requireRecord(this.records, tenantId, recordNumber);
    this.logger.info({ tenantId, userId: readerId, recordId: record.id }, 'record read');
    return record;
  }

  /** Lists up to `limit` records that are not removed and whose name contains `text`. */
  findByName(tenantId: string, text: string, limit: number): EmployeeRecord[] {
    return this.records.findByName(tenantId, text, limit);
  }

  /** Lists up to `limit` records that are not removed and whose whole name is `text`. */
  findByExactName(tenantId: string, text: string, limit: number): EmployeeRecord[] {
    return this.records.findByExactName(tenantId, text, limit);
  }

  /** Returns page `page` (from 1) of the records that contain `text` in any field. */
  list(tenantId: string, text: string, page: number, pageSize: number): RecordPage {
    const { records, total } = this.records.search(tenantId, text, (page - 1) * pageSize, pageSize);
    return { records, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
  }

  /**
   * Returns audit entries oldest first: from `since` on when given, else the latest ones.
   * Throws RecordNotFoundError for a record id that the tenant does not have.
   */
  changes(tenantId: string, query: ChangesQuery): { entries: AuditEntry[]; total: number } {
    if (query.recordNumber !== undefined) {
      requireRecord(this.records, tenantId, query.recordNumber);
    }
    return this.audit.list(tenantId, {
      recordNumber: query.recordNumber,
      since: query.since?.getTime(),
      limit: query.limit,
    });
  }
}
