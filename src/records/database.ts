import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Raised when the records database cannot be opened or was written by a newer schema version.
 * The message names the file and what to do.
 */
export class RecordsDatabaseError extends Error {
  override name = 'RecordsDatabaseError';
}

/**
 * Opens (and creates, with its folder) the records database, then applies every migration the
 * file has not had yet, each in its own transaction together with its PRAGMA user_version.
 * Journal mode is WAL, and synchronous=FULL makes each committed transaction survive a power
 * loss, not only a crash of this process.
 */
export function openDatabase(
  path: string,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
    }
    db = new Database(path);
  } catch (error) {
    throw new RecordsDatabaseError(
      `Cannot open the records database ${path}: ${(error as Error).message}. Set DATABASE_PATH ` +
        'to a file in a folder this process may write.',
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path, logger, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Returns the PRAGMA user_version of `db`, the number of the last migration applied. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(
  db: Database.Database,
  path: string,
  logger: Logger,
  migrations: readonly Migration[],
): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new RecordsDatabaseError(
      `The records database ${path} has schema version ${current}, but this version of the ` +
        `service knows versions up to ${latest}. Run a newer version of the service or set ` +
        'DATABASE_PATH to another file.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) {
      continue;
    }
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    logger.info({ path, schemaVersion: migration.version }, 'records database migrated');
  }
}
