import { type Column, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PgDb } from './connection.js';

/** Rows per statement: arrays bind as one parameter each, so this only bounds memory. */
export const UNNEST_ROWS_PER_STATEMENT = 5_000;

type ColumnsOf<T extends PgTable> = T['_']['columns'];
type KeyOf<T extends PgTable> = keyof ColumnsOf<T> & string;
/** Every column of the table but `C`, as the TypeScript side reads it. */
type RowOf<T extends PgTable, C extends KeyOf<T>> = Omit<T['$inferSelect'], C>;

export interface UnnestUpsert<T extends PgTable, C extends KeyOf<T> = never> {
  table: T;
  /** The conflict target: the table's key. */
  keys: ReadonlyArray<KeyOf<T>>;
  /**
   * `always` rewrites the stored row; `changed` only when a column other than the keys and the
   * constants differs (so Postgres's row count is the rows actually written). A table whose
   * columns are all keys gets `DO NOTHING`: a row already stored is left alone and not counted.
   */
  update: 'always' | 'changed';
  /** Columns with one value for every row (`exported_at`): bound once, written, never compared. */
  constants?: C[];
}

interface Plan {
  columns: Array<{ key: string; column: Column }>;
  constants: Array<{ key: string; column: Column }>;
  text: (arrays: SQL[], constants: SQL[]) => SQL;
}

const plans = new WeakMap<object, Plan>();

/**
 * Upserts full rows of a table in one statement per {@link UNNEST_ROWS_PER_STATEMENT} rows:
 * `INSERT … SELECT * FROM unnest($1::type[], …) ON CONFLICT (keys) DO UPDATE`, each column bound
 * as one array. A multi-row `VALUES` list costs a parameter per cell: drizzle builds each one
 * (most of the sync's and the export's CPU in profiles) and Postgres parses and plans each one;
 * this statement is the same few lines for 10 rows or 5,000.
 * Values go through each column's own driver mapping (JSON text for jsonb, ISO text for times),
 * and `pg` writes arrays as quoted literals, so any string survives (but NUL, which Postgres
 * refuses anyway: see text.ts). Rows must hold one row per key (see `lastPerKey`). Returns the
 * rows inserted or updated.
 */
export async function unnestUpsert<T extends PgTable, C extends KeyOf<T> = never>(
  db: PgDb,
  spec: UnnestUpsert<T, C>,
  rows: ReadonlyArray<RowOf<T, C>>,
  constants?: Pick<T['$inferSelect'], C>,
): Promise<number> {
  let written = 0;
  for (const statement of unnestUpsertStatements(spec, rows, constants)) {
    written += (await db.execute(statement)).rowCount ?? 0;
  }
  return written;
}

/** The statements {@link unnestUpsert} runs, for a caller that wraps them (`WITH … RETURNING`). */
export function unnestUpsertStatements<T extends PgTable, C extends KeyOf<T> = never>(
  spec: UnnestUpsert<T, C>,
  rows: ReadonlyArray<RowOf<T, C>>,
  constants?: Pick<T['$inferSelect'], C>,
): SQL[] {
  const plan = planOf(spec);
  const constantValues = plan.constants.map(({ key, column }) => {
    const value = (constants as Record<string, unknown> | undefined)?.[key];
    return sql`${bind(column, value)}::${sql.raw(column.getSQLType())}`;
  });
  const statements: SQL[] = [];
  for (let start = 0; start < rows.length; start += UNNEST_ROWS_PER_STATEMENT) {
    const part = rows.slice(start, start + UNNEST_ROWS_PER_STATEMENT);
    const arrays = plan.columns.map(({ key, column }) => {
      const values = part.map((row) => bind(column, (row as Record<string, unknown>)[key]));
      return sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`;
    });
    statements.push(plan.text(arrays, constantValues));
  }
  return statements;
}

function bind(column: Column, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}

function planOf<T extends PgTable, C extends KeyOf<T>>(spec: UnnestUpsert<T, C>): Plan {
  const cached = plans.get(spec);
  if (cached) return cached;
  const all = Object.entries(getTableColumns(spec.table) as Record<string, Column>);
  const constantKeys = new Set<string>(spec.constants ?? []);
  const keyKeys = new Set<string>(spec.keys);
  const columns = all.filter(([key]) => !constantKeys.has(key)).map(([key, column]) => ({ key, column }));
  const constants = all.filter(([key]) => constantKeys.has(key)).map(([key, column]) => ({ key, column }));
  const name = (column: Column) => sql.identifier(column.name);
  const list = (items: Parameters<typeof sql.join>[0]) => sql.join(items, sql`, `);
  const inserted = [...columns, ...constants].map(({ column }) => name(column));
  const target = all.filter(([key]) => keyKeys.has(key)).map(([, column]) => name(column));
  const updated = all.filter(([key]) => !keyKeys.has(key)).map(([, column]) => column);
  const set = list(updated.map((column) => sql`${name(column)} = excluded.${name(column)}`));
  const compared = columns.filter(({ key }) => !keyKeys.has(key)).map(({ column }) => column);
  const where =
    spec.update === 'changed' && compared.length > 0
      ? sql` WHERE (${list(compared.map((c) => sql`${spec.table}.${name(c)}`))}) IS DISTINCT FROM (${list(
          compared.map((c) => sql`excluded.${name(c)}`),
        )})`
      : sql``;
  const conflict = updated.length === 0 ? sql`DO NOTHING` : sql`DO UPDATE SET ${set}${where}`;
  const plan: Plan = {
    columns,
    constants,
    text: (arrays, constantValues) =>
      sql`INSERT INTO ${spec.table} (${list(inserted)}) SELECT u.*${
        constantValues.length > 0 ? sql`, ${list(constantValues)}` : sql``
      } FROM unnest(${list(arrays)}) AS u ON CONFLICT (${list(target)}) ${conflict}`,
  };
  plans.set(spec, plan);
  return plan;
}

/**
 * Data-modifying statements run as one (`WITH s0 AS (…), s1 AS (…) last`): one round trip.
 * Every part sees the tables as they were before the statement, so no two parts may write the
 * same row nor read what another writes.
 */
export function asOneStatement(statements: readonly SQL[]): SQL {
  const last = statements.at(-1);
  if (last === undefined) return sql`SELECT 1`;
  if (statements.length === 1) return last;
  const parts = statements.slice(0, -1).map((statement, i) => sql`${sql.raw(`s${i}`)} AS (${statement})`);
  return sql`WITH ${sql.join(parts, sql`, `)} ${last}`;
}
