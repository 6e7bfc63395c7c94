import type Database from 'better-sqlite3';
import type { RecordsConfig } from '../config';
import type { Logger } from '../logger';
import { openDatabase, schemaVersion } from './database';
import { EditorPolicy } from './editor-policy';
import { OutboxWorker, type BackoffOptions } from './outbox';
import { OutboxTable } from './outbox-table';
import { RecordsReader } from './records-reader';
import { RecordsService } from './records-service';

/** Settings that tests and embedders may change; production uses the defaults. */
export interface RecordsTuning {
  /** Clock of change times and confirmation windows. */
  now?: () => Date;
  backoff?: BackoffOptions;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
}

/** The open records database with its service, reader and event delivery. */
export interface Records {
  db: Database.Database;
  service: RecordsService;
  reader: RecordsReader;
  /** Present when RECORDS_EVENT_URL is set. */
  worker?: OutboxWorker;
  /** Base URL of the line-of-business app, when set. */
  appUrl?: string;
  /** Stops event delivery, waiting for requests in flight, then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the records database (creating and migrating it as needed), builds the service and
 * starts delivering queued events when RECORDS_EVENT_URL is set.
 */
export function openRecords(
  config: RecordsConfig,
  logger: Logger,
  tuning: RecordsTuning = {},
): Records {
  const db = openDatabase(config.databasePath, logger);
  logger.info({ path: config.databasePath, schemaVersion: schemaVersion(db) }, 'records opened');

  const editors = new EditorPolicy(config.editorIds, logger);
  if (editors.everyoneMayChange) {
    logger.warn(
      'RECORDS_EDITOR_IDS is empty, so everyone may change employee records. To limit changes, ' +
        'set it to the comma-separated Azure AD object ids of the people who may add, set, ' +
        'remove and purge records.',
    );
  }
  const worker = createWorker(config, db, logger, tuning);
  const now = tuning.now ?? (() => new Date());
  const service = new RecordsService({
    db,
    logger,
    editors,
    now,
    outbox: worker === undefined ? undefined : new OutboxTable(db),
    onCommit: () => worker?.wake(),
  });
  worker?.start();

  let closing: Promise<void> | undefined;
  const close = async () => {
    await worker?.stop();
    db.close();
    logger.info({ path: config.databasePath }, 'records closed');
  };
  return {
    db,
    service,
    reader: new RecordsReader(db, logger),
    worker,
    appUrl: config.appUrl,
    close: () => (closing ??= close()),
  };
}

function createWorker(
  config: RecordsConfig,
  db: Database.Database,
  logger: Logger,
  tuning: RecordsTuning,
): OutboxWorker | undefined {
  if (config.eventUrl === undefined || config.eventSecret === undefined) {
    logger.info('RECORDS_EVENT_URL is not set, so changes are not sent to any other app');
    return undefined;
  }
  return new OutboxWorker({
    outbox: new OutboxTable(db),
    url: config.eventUrl,
    secret: config.eventSecret,
    logger: logger.child({ worker: 'outbox' }),
    backoff: tuning.backoff,
    pollIntervalMs: tuning.pollIntervalMs,
    requestTimeoutMs: tuning.requestTimeoutMs,
    now: tuning.now === undefined ? undefined : () => (tuning.now as () => Date)().getTime(),
  });
}
