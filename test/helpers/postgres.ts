import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from './services.js';

export { TEST_DATABASE_URL };

export interface TestSchema {
  /** `TEST_DATABASE_URL` with `?schema=` set, as `openStore` takes it. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh schema on the local Postgres, so concurrent test files never see each other's rows. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `zt_test_${randomBytes(6).toString('hex')}`;
  await run(`CREATE SCHEMA "${schema}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema, drop: () => run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

/** Runs one statement (or a parameterized query) on its own short-lived connection. */
export async function queryTestDatabase<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function run(statement: string): Promise<void> {
  await queryTestDatabase(statement);
}
