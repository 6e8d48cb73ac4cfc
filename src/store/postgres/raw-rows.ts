import { type SQL, sql } from 'drizzle-orm';
import type { PgDb } from './connection.js';

/**
 * Rows of a hand-written query, as `pg` parses them (booleans, numbers, parsed jsonb). The hot
 * reads use this instead of drizzle's select builder, whose per-query building and per-cell
 * mapping cost more than Postgres does at a few thousand rows; their SQL selects each column
 * already in the TypeScript form (see {@link epochMs}) and names it as the row type does.
 */
export async function rawRows<T>(db: PgDb, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return result.rows as T[];
}

/**
 * A `timestamptz` as epoch milliseconds (a float8, which `pg` reads as a number), as the
 * `timestamptz` column type reads it: truncated to the millisecond.
 */
export function epochMs(column: SQL): SQL {
  return sql`round(extract(epoch from date_trunc('milliseconds', ${column})) * 1000)::float8`;
}

/** One array parameter. */
export function arrayParam(values: readonly unknown[], type: 'text'): SQL {
  return sql`${sql.param(values)}::${sql.raw(type)}[]`;
}
