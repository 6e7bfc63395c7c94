import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, RecordsDatabaseError } from '../../src/records/database';
import { MIGRATIONS, type Migration } from '../../src/records/migrations';
import { captureLogs, createTempFolder, linesWith } from './helpers';

describe('openDatabase', () => {
  let folder: ReturnType<typeof createTempFolder>;

  beforeEach(() => {
    folder = createTempFolder();
  });

  afterEach(() => {
    folder.remove();
  });

  it('creates the file, its folder and the schema', () => {
    const path = join(folder.path, 'nested', 'records.db');
    const { logger, lines } = captureLogs();
    const db = openDatabase(path, logger);
    try {
      assert.ok(existsSync(path));
      assert.equal(schemaVersion(db), MIGRATIONS.at(-1)?.version);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      for (const table of [
        'audit_changes',
        'audit_entries',
        'outbox',
        'pending_removals',
        'processed_activities',
        'records',
      ]) {
        assert.ok(tables.includes(table), `table ${table} is missing`);
      }
      assert.equal(linesWith(lines, 'records database migrated').length, MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('uses WAL, full sync and foreign keys', () => {
    const db = openDatabase(folder.databasePath, captureLogs().logger);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    } finally {
      db.close();
    }
  });

  it('starts record numbers at 1001', () => {
    const db = openDatabase(folder.databasePath, captureLogs().logger);
    try {
      const result = db
        .prepare("INSERT INTO records (tenant_id, created_at, updated_at) VALUES ('t', 0, 0)")
        .run();
      assert.equal(result.lastInsertRowid, 1001);
    } finally {
      db.close();
    }
  });

  it('applies nothing again when reopened', () => {
    openDatabase(folder.databasePath, captureLogs().logger).close();
    const { logger, lines } = captureLogs();
    const db = openDatabase(folder.databasePath, logger);
    db.close();
    assert.equal(linesWith(lines, 'records database migrated').length, 0);
  });

  it('applies only the new migrations of a later version', () => {
    openDatabase(folder.databasePath, captureLogs().logger).close();
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      up: (db) => db.exec('ALTER TABLE records ADD COLUMN phone TEXT'),
    };
    const db = openDatabase(folder.databasePath, captureLogs().logger, [...MIGRATIONS, next]);
    try {
      assert.equal(schemaVersion(db), next.version);
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('records');
      assert.ok(columns.includes('phone'));
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back whole', () => {
    openDatabase(folder.databasePath, captureLogs().logger).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      up: (db) => {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        db.exec('THIS IS NOT SQL');
      },
    };
    assert.throws(() =>
      openDatabase(folder.databasePath, captureLogs().logger, [...MIGRATIONS, broken]),
    );
    const db = new Database(folder.databasePath);
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      const table = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get();
      assert.equal(table, undefined);
    } finally {
      db.close();
    }
  });

  it('rejects a database from a newer schema', () => {
    const db = new Database(folder.databasePath);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(
      () => openDatabase(folder.databasePath, captureLogs().logger),
      (error: Error) => {
        assert.ok(error instanceof RecordsDatabaseError);
        assert.match(error.message, /schema version 99/);
        assert.match(error.message, /DATABASE_PATH/);
        return true;
      },
    );
  });
});
