import { FIELD_KEYS, FIELD_LABELS, type FieldKey } from './fields';
import { escapeCardText } from './markdown';
import type { RecordPage } from './records-reader';
import { formatDateTime } from './time-zone';
import type { AuditEntry, EmployeeRecord, FieldChange, Operation } from './types';

/**
 * Builders of the data that the templates in cards/ expand. Every value is a string, because
 * the templates bind each key and a missing key would stay in the card as `${key}`. Card text is
 * Markdown, so every value that comes from users or from Teams (field values, names of people,
 * teams and channels, search text) is escaped here and shows as typed.
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
    name: fieldText(record.fields.name),
    facts: FIELD_KEYS.filter((key) => key !== 'name').map((key) => ({
      label: FIELD_LABELS[key],
      value: fieldText(record.fields[key]),
    })),
    footer: created === updated ? `Created ${created}` : `Created ${created} · updated ${updated}`,
    url: recordUrl(context.appUrl, record.id),
  };
}

/** Data of `employee-changed`: the fields one change set, with old and new values. */
export function changedCardData(entry: AuditEntry, record: EmployeeRecord, context: CardContext) {
  const when = formatDateTime(entry.occurredAt, context.timeZone);
  return {
    heading: `Updated ${record.id}`,
    name: fieldText(record.fields.name),
    changes: entry.changes.map((change) => changeRow(change, Number.POSITIVE_INFINITY)),
    byline: `By ${escapeCardText(entry.actor.name)} at ${when}`,
    url: recordUrl(context.appUrl, record.id),
  };
}

/** Data of `employee-list`: a page of records or the matches of a name. `heading` is Markdown. */
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
      name: fieldText(record.fields.name),
      details: [record.fields.title, record.fields.department, record.fields.location]
        .filter((value) => value !== null)
        .map(escapeCardText)
        .join(' · '),
    })),
    more,
  };
}

/** Returns the heading of the records whose name or fields contain the search text `text`. */
export function matchingHeading(text: string): string {
  return `Employee records matching “${escapeCardText(text)}”`;
}

/** Returns the line that names the command for page `page` of `employee list [text]`. */
export function nextPageText(text: string, page: number): string {
  const words = text === '' ? '' : ` ${escapeCardText(text)}`;
  return `Next page: employee list${words} page ${page}`;
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
        entry.recordName === null ? '' : ` ${escapeCardText(entry.recordName)}`
      }`,
      when: formatDateTime(entry.occurredAt, context.timeZone),
      who: `${escapeCardText(entry.actor.name)} (${escapeCardText(entry.actor.aadObjectId)})`,
      where: placeText(entry),
      note: entryNote(entry),
      changes: entry.changes.map((change) => changeRow(change, MAX_TRAIL_VALUE_LENGTH)),
    })),
    more,
    url: context.recordId === undefined ? '' : recordUrl(context.appUrl, context.recordId),
  };
}

/** Returns the team and channel of a change, by name when Teams sent the names, else by id. */
function placeText(entry: AuditEntry): string {
  const team = escapeCardText(entry.team.name ?? entry.team.id);
  const channel = escapeCardText(entry.channel.name ?? entry.channel.id);
  return `Team ${team} · channel ${channel}`;
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
    before: change.erased ? ERASED : fieldText(change.before, maxLength),
    after: change.erased ? ERASED : fieldText(change.after, maxLength),
  };
}

/** Returns a field value as card text: shortened to `maxLength` characters, then escaped. */
function fieldText(value: string | null, maxLength = Number.POSITIVE_INFINITY): string {
  return value === null ? EMPTY : escapeCardText(shorten(value, maxLength));
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
