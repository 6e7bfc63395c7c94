import { ConflictError, RecordNotFoundError } from './errors';
import { formatRecordId } from './record-id';
import type { RecordTable } from './record-table';
import type { EmployeeRecord } from './types';

/** Returns a record of the tenant, removed or not. Throws RecordNotFoundError. */
export function requireRecord(
  records: RecordTable,
  tenantId: string,
  recordNumber: number,
): EmployeeRecord {
  const record = records.get(tenantId, recordNumber);
  if (record === undefined) {
    throw new RecordNotFoundError(
      `There is no employee record ${formatRecordId(recordNumber)}. Find records with ` +
        'employee list or employee show <name>.',
    );
  }
  return record;
}

/** Returns a record that is not removed. Throws RecordNotFoundError or ConflictError. */
export function requireLiveRecord(
  records: RecordTable,
  tenantId: string,
  recordNumber: number,
): EmployeeRecord {
  const record = requireRecord(records, tenantId, recordNumber);
  if (record.removedAt !== undefined) {
    throw new ConflictError(
      `${record.id} was removed, so it cannot be changed. Its history stays readable: ` +
        `changes ${record.id}`,
    );
  }
  return record;
}

/** Throws ConflictError unless a removal request of the sender is waiting and not expired. */
export function requirePendingRemoval(
  recordId: string,
  expiresAt: number | undefined,
  now: number,
): void {
  if (expiresAt === undefined) {
    throw new ConflictError(
      `There is no removal of ${recordId} waiting for your confirmation. Send employee ` +
        `remove ${recordId} first, then employee remove ${recordId} confirm within five minutes.`,
    );
  }
  if (now >= expiresAt) {
    throw new ConflictError(
      `Your request to remove ${recordId} expired: the confirmation must come within five ` +
        `minutes. Send employee remove ${recordId} again, then employee remove ${recordId} ` +
        'confirm.',
    );
  }
}

/** Throws ConflictError unless the record is removed and not purged yet. */
export function requirePurgeable(record: EmployeeRecord): void {
  if (record.purgedAt !== undefined) {
    throw new ConflictError(`The personal data of ${record.id} was already erased.`);
  }
  if (record.removedAt === undefined) {
    throw new ConflictError(
      `${record.id} is not removed, and only removed records can be purged. Send employee ` +
        `remove ${record.id}, then employee remove ${record.id} confirm, then employee purge ` +
        `${record.id} confirm.`,
    );
  }
}
