import { EMPLOYEE_USAGE } from './command-parser';
import { FIELD_SYNTAX } from './fields';
import { escapeMarkdown } from './markdown';
import { formatDateTime } from './time-zone';
import type { EmployeeRecord } from './types';

/**
 * Texts of the replies that carry no card. Markdown, before HTML escaping, so values from users
 * and from Teams are Markdown-escaped.
 */

export function employeeHelpText(): string {
  return [
    '**Employee records**',
    ...EMPLOYEE_USAGE,
    `${FIELD_SYNTAX} Quote values that contain spaces: title="Senior Engineer".`,
  ].join('\n\n');
}

export function removedText(record: EmployeeRecord, timeZone: string): string {
  const when = formatDateTime(record.removedAt ?? record.updatedAt, timeZone);
  const remover =
    record.removedBy === undefined ? 'someone' : escapeMarkdown(record.removedBy.name);
  const removed = `${record.id} was removed at ${when} by ${remover}.`;
  const purged = record.purgedAt === undefined ? '' : ' Its personal data has been erased.';
  return `${removed}${purged} Its history stays readable: **changes ${record.id}**`;
}

export function removalRequestedText(record: EmployeeRecord, expiresAt: Date, timeZone: string) {
  return (
    `To remove ${record.id} (${nameOf(record)}), send **employee remove ${record.id} ` +
    `confirm** within five minutes, by ${formatDateTime(expiresAt, timeZone)}.`
  );
}

export function removedNowText(record: EmployeeRecord): string {
  return (
    `Removed ${record.id} (${nameOf(record)}). Its history stays readable: ` +
    `**changes ${record.id}**. To also erase its personal data, send ` +
    `**employee purge ${record.id} confirm**.`
  );
}

export function purgeWarningText(record: EmployeeRecord): string {
  return (
    `Purging erases the personal fields of ${record.id} from the record and its history, and ` +
    `cannot be undone. To go ahead, send **employee purge ${record.id} confirm**.`
  );
}

export function purgedText(record: EmployeeRecord): string {
  return (
    `Erased the personal fields of ${record.id} from the record and its history. The history ` +
    `keeps an entry that the purge happened: **changes ${record.id}**.`
  );
}

export function unchangedText(record: EmployeeRecord): string {
  return `No change: ${record.id} already has those values.`;
}

export function noMatchText(text: string): string {
  if (text === '') {
    return 'There are no employee records. Add one with employee add "Ana Núñez" title=Engineer';
  }
  const typed = escapeMarkdown(text);
  return `No employee record matches “${typed}”. See every record with employee list.`;
}

export function noSuchPageText(page: number, pageCount: number): string {
  const pages = pageCount === 1 ? '1 page' : `${pageCount} pages`;
  return `There is no page ${page}: the list has ${pages}.`;
}

function nameOf(record: EmployeeRecord): string {
  return escapeMarkdown(record.fields.name ?? '');
}
