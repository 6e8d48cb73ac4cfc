import {
  and,
  type Column,
  eq,
  getTableColumns,
  gte,
  inArray,
  lt,
  or,
  type SQL,
  sql,
  type Table,
} from 'drizzle-orm';
import { DAY_MS } from '../domain/metric.js';
import { chunk, IDS_PER_STATEMENT } from './batch.js';

/** The value an upsert tried to insert, for `ON CONFLICT DO UPDATE SET col = excluded.col`. */
export function excluded(column: Column): SQL {
  return sql`excluded.${sql.identifier(column.name)}`;
}

/** A table's columns but `keys` (its key, usually): what an upsert may change. */
export function columnsExcept<T extends Table, K extends keyof T['_']['columns'] & string>(
  table: T,
  ...keys: K[]
): Omit<T['_']['columns'], K> {
  const columns: Record<string, Column> = { ...getTableColumns(table) };
  for (const key of keys) delete columns[key];
  return columns as Omit<T['_']['columns'], K>;
}

/** `SET` clause copying every given column from the attempted insert. */
export function setExcluded<K extends string>(columns: Record<K, Column>): Record<K, SQL> {
  const set = {} as Record<K, SQL>;
  for (const key of Object.keys(columns) as K[]) set[key] = excluded(columns[key]);
  return set;
}

/**
 * True when the attempted insert differs from the stored row in any of `columns` (null-safe;
 * both SQLite ≥ 3.39 and Postgres spell it `IS DISTINCT FROM`). Used as the upsert's `WHERE`, so
 * an unchanged row is not rewritten.
 */
export function anyDiffers(columns: readonly Column[]): SQL {
  return sql.join(
    columns.map((column) => sql`${column} IS DISTINCT FROM ${excluded(column)}`),
    sql` OR `,
  );
}

/**
 * Conditions matching `(a, b)` pairs, at most {@link IDS_PER_STATEMENT} pairs each: pairs are
 * grouped by `a` (a ticket source, a period kind) so each group is an indexed `IN` list.
 */
export function pairConditions(a: Column, b: Column, pairs: ReadonlyArray<readonly [string, string]>): SQL[] {
  const byFirst = new Map<string, string[]>();
  for (const [first, second] of pairs) {
    const group = byFirst.get(first);
    if (group) group.push(second);
    else byFirst.set(first, [second]);
  }
  const conditions: SQL[] = [];
  for (const [first, seconds] of byFirst) {
    for (const part of chunk([...new Set(seconds)], IDS_PER_STATEMENT)) {
      conditions.push(and(eq(a, first), inArray(b, part))!);
    }
  }
  return conditions;
}

/**
 * `column` (an instant) on one of `days` (UTC dates, `YYYY-MM-DD`), as ranges an index on it
 * serves; no condition when `days` is absent.
 */
export function onDays(column: Column, days?: readonly string[]): SQL | undefined {
  if (days === undefined) return undefined;
  if (days.length === 0) return sql`false`;
  return or(...days.map((day) => and(gte(column, Date.parse(day)), lt(column, Date.parse(day) + DAY_MS))));
}
