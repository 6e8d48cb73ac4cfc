import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgresStore, PostgresStore } from './postgres/postgres-store.js';
import { openPostgresWarehouse, PostgresWarehouse } from './postgres/postgres-warehouse.js';
import { openSqliteStore, SqliteStore } from './sqlite/sqlite-store.js';
import { openSqliteWarehouse, SqliteWarehouse } from './sqlite/sqlite-warehouse.js';
import type { Store, Warehouse } from './store.js';

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; schema: string };

/**
 * Where a database URL points:
 * - `postgres://…` / `postgresql://…`: Postgres; `?schema=NAME` picks the schema (default
 *   `public`) and is removed from the URL handed to pg;
 * - `:memory:`, `file::memory:`: an in-memory SQLite database;
 * - `file:///abs/path`, `file:relative/path`, or a plain path: a SQLite file, relative to `cwd`.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'public';
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', url: parsed.toString(), schema };
  }
  if (url === ':memory:' || url === 'file::memory:') return { dialect: 'sqlite', file: ':memory:' };
  if (url.startsWith('file://')) return { dialect: 'sqlite', file: fileURLToPath(url) };
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return { dialect: 'sqlite', file: resolve(cwd, path) };
}

/** Opens the state store `databaseUrl` names (see {@link parseDatabaseUrl}), migrated. */
export async function openStore(databaseUrl: string): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  return target.dialect === 'sqlite'
    ? openSqliteStore({ file: target.file })
    : openPostgresStore({ url: target.url, schema: target.schema });
}

/**
 * Opens the warehouse `warehouseUrl` names. When that is where `store` lives, the warehouse
 * shares the store's connection (one SQLite writer, one pool) and closing it leaves the store
 * open; otherwise it opens and migrates its own.
 */
export async function openWarehouse(warehouseUrl: string, store?: Store): Promise<Warehouse> {
  const target = parseDatabaseUrl(warehouseUrl);
  if (target.dialect === 'sqlite') {
    // Two `:memory:` handles would be two databases; sharing is the only useful reading.
    if (store instanceof SqliteStore && store.file === target.file)
      return new SqliteWarehouse(store.db, null);
    return openSqliteWarehouse({ file: target.file });
  }
  if (
    store instanceof PostgresStore &&
    sameDatabase(store.url, target.url) &&
    store.schema === target.schema
  ) {
    return new PostgresWarehouse(store.db, null);
  }
  return openPostgresWarehouse({ url: target.url, schema: target.schema });
}

function sameDatabase(a: string, b: string): boolean {
  return new URL(a).toString() === new URL(b).toString();
}
