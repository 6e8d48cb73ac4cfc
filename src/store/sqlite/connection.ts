import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { packageRoot } from '../../package-root.js';
import { clientOf } from './prepared.js';
import { describeStorageError } from './storage-errors.js';

/** The database or a transaction on it: the query modules take either. */
export type SqliteDb = BaseSQLiteDatabase<'sync', Database.RunResult>;

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  file: string;
  /** Defaults to the package's `migrations/sqlite`. */
  migrationsFolder?: string;
}

export interface SqliteConnection {
  db: BetterSQLite3Database;
  client: Database.Database;
  file: string;
}

/** Opens the file (creating its folder), tunes it for one writer and many readers, migrates it. */
export function openSqliteConnection(options: SqliteOptions): SqliteConnection {
  let client: Database.Database;
  try {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    client = new Database(options.file);
  } catch (error) {
    throw describeStorageError(error, options.file);
  }
  try {
    // WAL lets readers (status, serve) run beside the pipeline's writer; NORMAL is durable in WAL
    // mode except for the last transactions on power loss, which a re-sync re-reads anyway.
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL');
    // A second process (the CLI beside a worker) waits for the writer instead of failing.
    client.pragma('busy_timeout = 5000');
    // Checkpoint every 64 MB of WAL rather than SQLite's 4 MB: each synced page dirties index
    // pages all over the ticket indexes, and a page written by several commits is then copied
    // back once. A third less written in `npm run bench` at 300k tickets (7.1 → 4.8 GB); the
    // WAL is cut back to this size after a checkpoint.
    client.pragma('wal_autocheckpoint = 16384');
    client.pragma('journal_size_limit = 67108864');
    const db = drizzle({ client });
    migrate(db, {
      migrationsFolder: options.migrationsFolder ?? join(packageRoot(), 'migrations', 'sqlite'),
    });
    return { db, client, file: options.file };
  } catch (error) {
    client.close();
    throw describeStorageError(error, options.file);
  }
}

/**
 * A write transaction that takes the write lock up front. A deferred one that reads first cannot
 * wait out another process's write (SQLite answers SQLITE_BUSY_SNAPSHOT instead of honouring
 * `busy_timeout`), so the CLI beside a worker would fail rather than wait.
 */
export function writeTransaction<T>(db: SqliteDb, work: (tx: SqliteDb) => T): T {
  try {
    return db.transaction(work, { behavior: 'immediate' });
  } catch (error) {
    throw describeStorageError(error, clientOf(db).name);
  }
}
