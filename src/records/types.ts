import type { FieldKey, RecordFields } from './fields';

/** The person who sent a command: their Teams display name and Azure AD object id. */
export interface Actor {
  name: string;
  aadObjectId: string;
}

/** A team or channel; Teams sends the name only in some payloads. */
export interface Place {
  id: string;
  name?: string;
}

/** Origin of a change: tenant, person, team and channel, and the Teams activity. */
export interface ChangeOrigin {
  tenantId: string;
  actor: Actor;
  team: Place;
  channel: Place;
  /** The message that asked for the change; a second delivery of it changes nothing. */
  activity?: { conversationId: string; activityId: string };
}

export interface EmployeeRecord {
  /** The id people type, for example E-1001. */
  id: string;
  number: number;
  tenantId: string;
  fields: RecordFields;
  createdAt: Date;
  updatedAt: Date;
  removedAt?: Date;
  removedBy?: Actor;
  /** When the personal fields were erased; only removed records can be purged. */
  purgedAt?: Date;
}

export type Operation = 'create' | 'update' | 'remove' | 'purge';

/** One field of one change; `erased` marks values cleared by a purge. */
export interface FieldChange {
  field: FieldKey;
  before: string | null;
  after: string | null;
  erased: boolean;
}

/** One committed change with everything the audit trail shows about it. */
export interface AuditEntry {
  id: number;
  tenantId: string;
  recordId: string;
  recordNumber: number;
  /** The record's current name; null once the record is purged. */
  recordName: string | null;
  operation: Operation;
  actor: Actor;
  team: Place;
  channel: Place;
  occurredAt: Date;
  changes: FieldChange[];
}
