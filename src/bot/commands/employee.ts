import { MessageFactory } from 'botbuilder-core';
import type { Records } from '../../records';
import {
  listCardData,
  matchingHeading,
  nextPageText,
  pageSummary,
  recordCardData,
  changedCardData,
  type CardContext,
} from '../../records/card-data';
import { parseEmployeeCommand } from '../../records/command-parser';
import { RecordsError } from '../../records/errors';
import { requirePurgeable } from '../../records/record-guards';
import * as replies from '../../records/reply-text';
import type { ChangeOrigin } from '../../records/types';
import { readActivityContext, type ActivityContext } from '../activity-context';
import type { Command, CommandRequest } from '../command';

/** The parts of the records module that the commands use. */
export type RecordsAccess = Pick<Records, 'service' | 'reader' | 'appUrl'>;

/** Records per page of `employee list`, and most matches listed by `employee show <name>`. */
export const PAGE_SIZE = 10;

/** Context of one records command: the request, the sender's details and the card settings. */
export interface RecordsTurn {
  request: CommandRequest;
  activity: ActivityContext & { tenantId: string };
  cards: CardContext;
}

/**
 * Runs a records command: reads the sender's tenant, user and time zone, and turns a
 * RecordsError into a reply that names the problem. Other errors reach the adapter's handler.
 */
export async function runRecordsCommand(
  request: CommandRequest,
  appUrl: string | undefined,
  handle: (turn: RecordsTurn) => Promise<void>,
): Promise<void> {
  const activity = readActivityContext(request.context.activity);
  const { tenantId } = activity;
  if (tenantId === undefined) {
    request.logger.warn({ userId: activity.user.aadObjectId }, 'records command without tenant');
    await reply(
      request,
      'This message carries no tenant id, so employee records are not available here.',
    );
    return;
  }
  try {
    await handle({
      request,
      activity: { ...activity, tenantId },
      cards: { appUrl, timeZone: activity.timeZone },
    });
  } catch (error) {
    if (!(error instanceof RecordsError)) {
      throw error;
    }
    await reply(request, error.message);
  }
}

/** Returns who and where a change comes from, for the audit trail and the event. */
export function originOf(activity: RecordsTurn['activity']): ChangeOrigin {
  const origin: ChangeOrigin = {
    tenantId: activity.tenantId,
    actor: { name: activity.user.name, aadObjectId: activity.user.aadObjectId ?? '' },
    team: activity.team,
    channel: activity.channel,
  };
  if (activity.activityId !== undefined) {
    origin.activity = { conversationId: activity.conversationId, activityId: activity.activityId };
  }
  return origin;
}

/** Sends text, escaping `&`, `<` and `>` because Teams renders HTML in message text. */
export async function reply(request: CommandRequest, text: string): Promise<void> {
  await request.context.sendActivity(
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

/** Sends one card rendered from a template in cards/. */
export async function replyWithCard(
  request: CommandRequest,
  template: string,
  data: object,
): Promise<void> {
  await request.context.sendActivity(
    MessageFactory.attachment(request.cards.render(template, data)),
  );
}

/** Creates the `employee` command, which adds, shows, sets, removes, purges and lists records. */
export function employeeCommand(records: RecordsAccess): Command {
  return {
    name: 'employee',
    usage: 'employee add|show|set|remove|purge|list …',
    description: 'Adds, shows, changes, removes and lists employee records. Type employee help.',
    handle: (request) =>
      runRecordsCommand(request, records.appUrl, (turn) => handleEmployee(records, turn)),
  };
}

async function handleEmployee(records: RecordsAccess, turn: RecordsTurn): Promise<void> {
  const { request, activity, cards } = turn;
  const command = parseEmployeeCommand(request.args);
  const origin = originOf(activity);
  switch (command.kind) {
    case 'help':
      return reply(request, replies.employeeHelpText());
    case 'add': {
      const { record } = records.service.add(origin, command.fields);
      return replyWithCard(
        request,
        'employee-record',
        recordCardData(record, cards, `Added ${record.id}`),
      );
    }
    case 'show':
      return showRecord(records, turn, command.recordNumber);
    case 'find':
      return findRecords(records, turn, command.name);
    case 'set': {
      const result = records.service.update(origin, command.recordNumber, command.fields);
      if (result.status === 'unchanged') {
        return reply(request, replies.unchangedText(result.record));
      }
      return replyWithCard(
        request,
        'employee-changed',
        changedCardData(result.entry, result.record, cards),
      );
    }
    case 'remove':
      return command.confirm
        ? confirmRemoval(records, turn, command.recordNumber)
        : requestRemoval(records, turn, command.recordNumber);
    case 'purge':
      return purge(records, turn, command.recordNumber, command.confirm);
    case 'list':
      return listRecords(records, turn, command.text, command.page);
  }
}

async function showRecord(records: RecordsAccess, turn: RecordsTurn, recordNumber: number) {
  const { request, activity, cards } = turn;
  const record = records.reader.get(
    activity.tenantId,
    recordNumber,
    activity.user.aadObjectId ?? '',
  );
  if (record.removedAt !== undefined) {
    return reply(request, replies.removedText(record, cards.timeZone));
  }
  return replyWithCard(request, 'employee-record', recordCardData(record, cards));
}

/**
 * Shows the one record whose whole name is `name`, ignoring case and accents. Without exactly
 * one such record, lists the records whose name contains `name`, or shows the only one.
 */
async function findRecords(records: RecordsAccess, turn: RecordsTurn, name: string) {
  const { request, activity, cards } = turn;
  const exact = records.reader.findByExactName(activity.tenantId, name, 2);
  if (exact.length === 1) {
    request.logger.info(
      { userId: activity.user.aadObjectId, matches: 1, exact: true },
      'records found by name',
    );
    return showRecord(records, turn, exact[0].number);
  }
  const matches = records.reader.findByName(activity.tenantId, name, PAGE_SIZE + 1);
  request.logger.info(
    { userId: activity.user.aadObjectId, matches: matches.length },
    'records found by name',
  );
  if (matches.length === 0) {
    return reply(request, replies.noMatchText(name));
  }
  if (matches.length === 1) {
    return showRecord(records, turn, matches[0].number);
  }
  const summary =
    matches.length > PAGE_SIZE
      ? `More than ${PAGE_SIZE} records match; showing the first ${PAGE_SIZE}.`
      : `${matches.length} records match.`;
  const data = listCardData(
    matchingHeading(name),
    `${summary} Show one with employee show <id>.`,
    matches.slice(0, PAGE_SIZE),
    cards,
  );
  return replyWithCard(request, 'employee-list', data);
}

async function requestRemoval(records: RecordsAccess, turn: RecordsTurn, recordNumber: number) {
  const { record, expiresAt } = records.service.requestRemoval(
    originOf(turn.activity),
    recordNumber,
  );
  return reply(turn.request, replies.removalRequestedText(record, expiresAt, turn.cards.timeZone));
}

async function confirmRemoval(records: RecordsAccess, turn: RecordsTurn, recordNumber: number) {
  const { record } = records.service.confirmRemoval(originOf(turn.activity), recordNumber);
  return reply(turn.request, replies.removedNowText(record));
}

async function purge(
  records: RecordsAccess,
  turn: RecordsTurn,
  recordNumber: number,
  confirm: boolean,
) {
  const { request, activity } = turn;
  if (!confirm) {
    const record = records.reader.get(activity.tenantId, recordNumber, readerId(activity));
    requirePurgeable(record);
    return reply(request, replies.purgeWarningText(record));
  }
  const { record } = records.service.purge(originOf(activity), recordNumber);
  return reply(request, replies.purgedText(record));
}

async function listRecords(records: RecordsAccess, turn: RecordsTurn, query: string, page: number) {
  const { request, activity, cards } = turn;
  const result = records.reader.list(activity.tenantId, query, page, PAGE_SIZE);
  request.logger.info(
    { userId: activity.user.aadObjectId, total: result.total, page },
    'records listed',
  );
  if (result.total === 0) {
    return reply(request, replies.noMatchText(query));
  }
  if (page > result.pageCount) {
    return reply(request, replies.noSuchPageText(page, result.pageCount));
  }
  const more = page < result.pageCount ? nextPageText(query, page + 1) : '';
  const heading = query === '' ? 'Employee records' : matchingHeading(query);
  const data = listCardData(heading, pageSummary(result), result.records, cards, more);
  return replyWithCard(request, 'employee-list', data);
}

function readerId(activity: RecordsTurn['activity']): string {
  return activity.user.aadObjectId ?? activity.user.id;
}
