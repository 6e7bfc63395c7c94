import type Database from 'better-sqlite3';

/** One schema step; `version` is the PRAGMA user_version the database has after it. */
export interface Migration {
  version: number;
  up(db: Database.Database): void;
}

/**
 * The schema, oldest step first. Never edit a released step: append a new one, so databases
 * created by any earlier version reach the same schema. Times are milliseconds since the Unix
 * epoch, UTC.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`
        CREATE TABLE records (
          number INTEGER PRIMARY KEY AUTOINCREMENT,
          tenant_id TEXT NOT NULL,
          name TEXT,
          title TEXT,
          department TEXT,
          location TEXT,
          manager TEXT,
          email TEXT,
          start_date TEXT,
          name_key TEXT NOT NULL DEFAULT '',
          search_key TEXT NOT NULL DEFAULT '',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          removed_at INTEGER,
          removed_by_name TEXT,
          removed_by_aad_object_id TEXT,
          purged_at INTEGER
        );
        CREATE INDEX records_by_tenant ON records (tenant_id, removed_at, number);

        -- Record numbers start at 1001, so the first id is E-1001.
        INSERT INTO sqlite_sequence (name, seq) VALUES ('records', 1000);

        CREATE TABLE audit_entries (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          tenant_id TEXT NOT NULL,
          record_number INTEGER NOT NULL REFERENCES records (number),
          operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'remove', 'purge')),
          actor_name TEXT NOT NULL,
          actor_aad_object_id TEXT NOT NULL,
          team_id TEXT NOT NULL,
          team_name TEXT,
          channel_id TEXT NOT NULL,
          channel_name TEXT,
          occurred_at INTEGER NOT NULL
        );
        CREATE INDEX audit_entries_by_record ON audit_entries (tenant_id, record_number, id);
        CREATE INDEX audit_entries_by_time ON audit_entries (tenant_id, occurred_at, id);

        CREATE TABLE audit_changes (
          audit_id INTEGER NOT NULL REFERENCES audit_entries (id),
          field TEXT NOT NULL,
          before_value TEXT,
          after_value TEXT,
          erased INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (audit_id, field)
        );

        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          record_number INTEGER NOT NULL REFERENCES records (number),
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT,
          delivered_at INTEGER
        );
        CREATE INDEX outbox_pending ON outbox (record_number, seq) WHERE delivered_at IS NULL;

        CREATE TABLE processed_activities (
          tenant_id TEXT NOT NULL,
          conversation_id TEXT NOT NULL,
          activity_id TEXT NOT NULL,
          outcome TEXT NOT NULL,
          processed_at INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, conversation_id, activity_id)
        );
        CREATE INDEX processed_activities_by_age ON processed_activities (processed_at);

        CREATE TABLE pending_removals (
          tenant_id TEXT NOT NULL,
          record_number INTEGER NOT NULL REFERENCES records (number),
          requested_by TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, record_number, requested_by)
        );
      `);
    },
  },
];
