import type { AuditEntry, Operation, Place } from './types';

/** The JSON body POSTed to RECORDS_EVENT_URL for one committed change. */
export interface RecordEvent {
  /** Unique per change and kept across retries, so receivers can drop repeated deliveries. */
  id: string;
  operation: Operation;
  recordId: string;
  tenantId: string;
  /** Id of the change's audit entry; ids increase with every change in the database. */
  auditId: number;
  /** Changed fields in display order; empty for remove and purge. */
  changes: { field: string; before: string | null; after: string | null; erased?: true }[];
  actor: { name: string; aadObjectId: string };
  team: { id: string; name: string | null };
  channel: { id: string; name: string | null };
  /** When the change was committed, ISO 8601 in UTC. */
  occurredAt: string;
}

/** Builds the event of one audit entry, serialised once so every retry sends the same bytes. */
export function buildEventBody(entry: AuditEntry, eventId: string): string {
  const event: RecordEvent = {
    id: eventId,
    operation: entry.operation,
    recordId: entry.recordId,
    tenantId: entry.tenantId,
    auditId: entry.id,
    changes: entry.changes.map(({ field, before, after }) => ({ field, before, after })),
    actor: { name: entry.actor.name, aadObjectId: entry.actor.aadObjectId },
    team: placeOf(entry.team),
    channel: placeOf(entry.channel),
    occurredAt: entry.occurredAt.toISOString(),
  };
  return JSON.stringify(event);
}

/** Returns `body` with every before and after value cleared and marked erased. */
export function eraseEventValues(body: string): string {
  const event = JSON.parse(body) as RecordEvent;
  event.changes = event.changes.map(({ field }) => ({
    field,
    before: null,
    after: null,
    erased: true,
  }));
  return JSON.stringify(event);
}

function placeOf(place: Place): { id: string; name: string | null } {
  return { id: place.id, name: place.name ?? null };
}
