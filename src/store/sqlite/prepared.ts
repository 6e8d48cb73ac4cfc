import type Database from 'better-sqlite3';
import { type Column, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SqliteDb } from './connection.js';

/**
 * Prepared statements for the pipeline's hot writes. Building one multi-row INSERT per batch
 * through the query builder cost more than SQLite's own work (the profile of `npm run bench`:
 * a third of the time went to SQL text assembly and re-preparing it); a statement prepared
 * once per connection and run per row inside the caller's transaction does not.
 * Values go through each column's own driver mapping, so rows keep the drizzle shapes.
 */

type Row = Record<string, unknown>;
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The better-sqlite3 handle behind a drizzle database or transaction: one connection, so a
 * statement run on it inside a transaction belongs to that transaction.
 */
export function clientOf(db: SqliteDb): Database.Database {
  const handle = db as unknown as { $client?: Database.Database; session?: { client?: Database.Database } };
  const client = handle.$client ?? handle.session?.client;
  if (!client) throw new Error('sqlite store: no better-sqlite3 connection behind this database');
  return client;
}

export function prepared(client: Database.Database, text: string): Database.Statement {
  let statements = cache.get(client);
  if (!statements) {
    statements = new Map();
    cache.set(client, statements);
  }
  let statement = statements.get(text);
  if (!statement) {
    statement = client.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

interface TableShape {
  name: string;
  keys: readonly string[];
  columns: Array<[key: string, column: Column]>;
}

function shapeOf(table: SQLiteTable, keys: readonly string[]): TableShape {
  return {
    name: getTableName(table),
    keys,
    columns: Object.entries(getTableColumns(table)),
  };
}

function bind(shape: TableShape, row: Row): unknown[] {
  return shape.columns.map(([key, column]) => {
    const value = row[key];
    return value === null || value === undefined ? null : column.mapToDriverValue(value);
  });
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Upserts `rows` one prepared statement run each: by the key columns `keys` (property names),
 * every other column taken from the row (`update: 'all'`) or the row kept (`'nothing'`).
 * Returns the rows written (an upsert whose row was left alone counts 0).
 */
export function upsertEach<T extends SQLiteTable>(
  db: SqliteDb,
  table: T,
  keys: Array<keyof T['$inferInsert'] & string>,
  rows: ReadonlyArray<T['$inferInsert']>,
  options: {
    update: 'all' | 'nothing';
    /** Leave a stored row alone unless a non-key column (but these) differs. */
    onlyIfChanged?: boolean;
    ignoreInComparison?: ReadonlyArray<keyof T['$inferInsert'] & string>;
  } = { update: 'all' },
): number {
  if (rows.length === 0) return 0;
  const shape = shapeOf(table, keys);
  const names = shape.columns.map(([, c]) => quote(c.name));
  const isKey = (key: string) => shape.keys.includes(key);
  const keyNames = shape.columns.filter(([k]) => isKey(k)).map(([, c]) => quote(c.name));
  const rest = shape.columns.filter(([k]) => !isKey(k)).map(([, c]) => quote(c.name));
  let text = `INSERT INTO ${quote(shape.name)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  text += ` ON CONFLICT (${keyNames.join(', ')}) DO `;
  if (options.update === 'nothing' || rest.length === 0) text += 'NOTHING';
  else {
    text += `UPDATE SET ${rest.map((n) => `${n} = excluded.${n}`).join(', ')}`;
    if (options.onlyIfChanged) {
      const ignored = new Set<string>(options.ignoreInComparison ?? []);
      const compared = shape.columns
        .filter(([k]) => !isKey(k) && !ignored.has(k))
        .map(([, c]) => quote(c.name));
      text += ` WHERE ${compared.map((n) => `${n} IS NOT excluded.${n}`).join(' OR ')}`;
    }
  }
  const statement = prepared(clientOf(db), text);
  let changes = 0;
  for (const row of rows) changes += statement.run(bind(shape, row as Row)).changes;
  return changes;
}
