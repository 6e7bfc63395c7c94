import { FIELD_KEYS, FIELD_LABELS, type FieldKey } from './fields';
import type { RecordPage } from './records-reader';
import { formatDateTime } from './time-zone';
import type { AuditEntry, EmployeeRecord, FieldChange, Operation } from './types';

/**
 * Builders of the data that the templates in cards/ expand. Every value is a string, because
 * the templates bind each key and a missing key would stay in the card as `${key}`.
 */

/** Shown for an empty field. */
const EMPTY = '—';
const ERASED = '(erased)';

/** Values longer than this many characters are shortened in audit trail cards. */
const MAX_TRAIL_VALUE_LENGTH = 80;

const OPERATION_LABELS: Record<Operation, string> = {
  create: 'Created',
  update: 'Updated',
  remove: 'Removed',
  purge: 'Purged',
};

/** Link base and time zone of the cards. */
export interface CardContext {
  appUrl?: string;
  timeZone: string;
}

/** Returns the line-of-business app's URL of a record, or '' when RECORDS_APP_URL is unset. */
export function recordUrl(appUrl: string | undefined, recordId: string): string {
  return appUrl === undefined ? '' : `${appUrl}/${encodeURIComponent(recordId)}`;
}

/** Data of `employee-record`: one record with every field. */
export function recordCardData(record: EmployeeRecord, context: CardContext, note = '') {
  const created = formatDateTime(record.createdAt, context.timeZone);
  const updated = formatDateTime(record.updatedAt, context.timeZone);
  return {
    note,
    id: record.id,
    name: record.fields.name ?? EMPTY,
    facts: FIELD_KEYS.filter((key) => key !== 'name').map((key) => ({
      label: FIELD_LABELS[key],
      value: record.fields[key] ?? EMPTY,
    })),
    footer: created === updated ? `Created ${created}` : `Created ${created} · updated ${updated}`,
    url: recordUrl(context.appUrl, record.id),
  };
}

/** Data of `employee-changed`: the fields one change set, with old and new values. */
export function changedCardData(entry: AuditEntry, record: EmployeeRecord, context: CardContext) {
  return {
    heading: `Updated ${record.id}`,
    name: record.fields.name ?? EMPTY,
    changes: entry.changes.map((change) => changeRow(change, Number.POSITIVE_INFINITY)),
    byline: `By ${entry.actor.name} at ${formatDateTime(entry.occurredAt, context.timeZone)}`,
    url: recordUrl(context.appUrl, record.id),
  };
}

/** Data of `employee-list`: a page of records or the matches of a name. */
export function listCardData(
  heading: string,
  summary: string,
  records: EmployeeRecord[],
  context: CardContext,
  more = '',
) {
  return {
    heading,
    summary,
    rows: records.map((record) => ({
      id: linkedId(record.id, context.appUrl),
      name: record.fields.name ?? EMPTY,
      details: [record.fields.title, record.fields.department, record.fields.location]
        .filter((value) => value !== null)
        .join(' · '),
    })),
    more,
  };
}

/** Returns the summary line of a page of records. */
export function pageSummary(page: RecordPage): string {
  const records = page.total === 1 ? '1 record' : `${page.total} records`;
  return `${records} · page ${page.page} of ${page.pageCount}`;
}

/** Data of `changes`: audit entries with who, what, when and where. */
export function changesCardData(
  heading: string,
  summary: string,
  entries: AuditEntry[],
  context: CardContext & { recordId?: string },
  more = '',
) {
  return {
    heading,
    summary,
    entries: entries.map((entry) => ({
      title: `**${OPERATION_LABELS[entry.operation]}** ${linkedId(entry.recordId, context.appUrl)}${
        entry.recordName === null ? '' : ` ${entry.recordName}`
      }`,
      when: formatDateTime(entry.occurredAt, context.timeZone),
      who: `${entry.actor.name} (${entry.actor.aadObjectId})`,
      where: `Team ${entry.team.name ?? entry.team.id} · channel ${
        entry.channel.name ?? entry.channel.id
      }`,
      note: entryNote(entry),
      changes: entry.changes.map((change) => changeRow(change, MAX_TRAIL_VALUE_LENGTH)),
    })),
    more,
    url: context.recordId === undefined ? '' : recordUrl(context.appUrl, context.recordId),
  };
}

function entryNote(entry: AuditEntry): string {
  if (entry.operation === 'remove') {
    return 'The record was removed; its history stays readable.';
  }
  if (entry.operation === 'purge') {
    return 'The personal fields were erased from the record and its history.';
  }
  return '';
}

function changeRow(change: FieldChange, maxLength: number) {
  return {
    label: FIELD_LABELS[change.field as FieldKey] ?? change.field,
    before: change.erased ? ERASED : shorten(change.before ?? EMPTY, maxLength),
    after: change.erased ? ERASED : shorten(change.after ?? EMPTY, maxLength),
  };
}

function shorten(text: string, maxLength: number): string {
  const characters = [...text];
  if (characters.length <= maxLength) {
    return text;
  }
  return `${characters.slice(0, maxLength - 1).join('')}…`;
}

/** Returns the id as a Markdown link to the records app, or plain when there is no app URL. */
function linkedId(recordId: string, appUrl: string | undefined): string {
  const url = recordUrl(appUrl, recordId);
  if (url === '') {
    return recordId;
  }
  // A parenthesis would end the Markdown link early; percent-encoding keeps the URL the same.
  return `[${recordId}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}
