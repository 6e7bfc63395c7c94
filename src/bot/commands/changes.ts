import { changesCardData } from '../../records/card-data';
import { CHANGES_USAGE, parseChangesCommand } from '../../records/command-parser';
import { formatRecordId } from '../../records/record-id';
import { startOfDay } from '../../records/time-zone';
import type { AuditEntry } from '../../records/types';
import type { Command } from '../command';
import { reply, runRecordsCommand, type RecordsAccess, type RecordsTurn } from './employee';

/** Most audit entries in one reply. */
export const MAX_CHANGES_SHOWN = 10;

/**
 * Maximum serialised card, in UTF-8 bytes. Teams does not document a limit for webhook replies.
 * This keeps the card well under the 28 KB it documents for incoming-webhook messages, with room
 * for the message around the card.
 */
const CARD_BYTE_BUDGET = 20_000;

/** Creates the `changes` command, which shows the audit trail of the tenant or of one record. */
export function changesCommand(records: RecordsAccess): Command {
  return {
    name: 'changes',
    usage: CHANGES_USAGE,
    description: 'Shows who changed employee records, what, when and from which channel.',
    handle: (request) =>
      runRecordsCommand(request, records.appUrl, (turn) => handleChanges(records, turn)),
  };
}

async function handleChanges(records: RecordsAccess, turn: RecordsTurn): Promise<void> {
  const { request, activity, cards } = turn;
  const command = parseChangesCommand(request.args);
  const since = command.since === undefined ? undefined : startOfDay(command.since, cards.timeZone);
  const { entries, total } = records.reader.changes(activity.tenantId, {
    recordNumber: command.recordNumber,
    since,
    limit: MAX_CHANGES_SHOWN,
  });
  const recordId =
    command.recordNumber === undefined ? undefined : formatRecordId(command.recordNumber);
  request.logger.info({ userId: activity.user.aadObjectId, recordId, total }, 'audit trail read');

  const scope = recordId === undefined ? 'employee records' : recordId;
  const period = command.since === undefined ? '' : ` since ${command.since}`;
  if (total === 0) {
    return reply(request, `No changes to ${scope}${period}.`);
  }

  // Drop entries until the card fits: the oldest without `since`, else the newest.
  let shown = entries;
  for (;;) {
    const summary = `${shown.length} of ${total} changes${period} · times in ${cards.timeZone}`;
    const more = moreText(shown.length, total, command.since !== undefined);
    const data = changesCardData(
      `Changes to ${scope}`,
      summary,
      shown,
      { ...cards, recordId },
      more,
    );
    const card = request.cards.render('changes', data);
    if (shown.length === 1 || Buffer.byteLength(JSON.stringify(card)) <= CARD_BYTE_BUDGET) {
      await request.context.sendActivity({ attachments: [card] });
      return;
    }
    shown = dropOne(shown, command.since !== undefined);
  }
}

function dropOne(entries: AuditEntry[], fromSince: boolean): AuditEntry[] {
  return fromSince ? entries.slice(0, -1) : entries.slice(1);
}

function moreText(shown: number, total: number, fromSince: boolean): string {
  if (shown >= total) {
    return '';
  }
  return fromSince
    ? `These are the first ${shown}. Use a later date to see the rest.`
    : `These are the latest ${shown}. See earlier ones with changes [id] since YYYY-MM-DD.`;
}
