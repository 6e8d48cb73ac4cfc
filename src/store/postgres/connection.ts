import { join } from 'node:path';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { packageRoot } from '../../package-root.js';

/** The database or a transaction on it: the query modules take either. */
export type PgDb = PgDatabase<NodePgQueryResultHKT>;

export interface PostgresOptions {
  /** A `postgres://` URL without the `schema` parameter (see `open-store.ts`). */
  url: string;
  /** The schema holding every table, and drizzle's migrations table. Default `public`. */
  schema?: string;
  /** Defaults to the package's `migrations/postgres`. */
  migrationsFolder?: string;
  /** Pool size. */
  max?: number;
}

export interface PostgresConnection {
  db: NodePgDatabase;
  pool: pg.Pool;
  url: string;
  schema: string;
}

// Lower case only: `search_path` folds an unquoted name to lower case, `CREATE SCHEMA` quotes it.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pool whose every connection works in `schema` (through `search_path`, so the generated SQL
 * names no schema) and in UTC, after the schema is created and migrated. Migrations run under
 * an advisory lock, so workers starting together migrate once.
 */
export async function openPostgresConnection(options: PostgresOptions): Promise<PostgresConnection> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `invalid Postgres schema name "${schema}": use lower-case letters, digits and underscores`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    options: `-c search_path=${schema} -c TimeZone=UTC`,
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  // An idle connection that breaks (a server restart) is dropped by the pool; the next query
  // reports the failure. Without a listener the error would crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      const lock = `zerotickets:migrate:${schema}`;
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await migrate(drizzle({ client }), {
          migrationsFolder: options.migrationsFolder ?? join(packageRoot(), 'migrations', 'postgres'),
          migrationsSchema: schema,
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db: drizzle({ client: pool }), pool, url: options.url, schema };
}
