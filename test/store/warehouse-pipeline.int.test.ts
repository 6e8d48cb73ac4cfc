import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleCompany } from '../../connectors/simulator/sample-company.js';
import { startZendeskSimulator } from '../../connectors/simulator/zendesk-simulator.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../helpers/cli.js';
import { queryTestDatabase, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { simulatorConnectArgs, writeSampleFiles } from '../helpers/sample-files.js';
import { postgresSnapshot, sqliteSnapshot, type WarehouseSnapshot } from './warehouse-snapshot.js';

/**
 * The pipeline through the real CLI with `WAREHOUSE_URL` on the local Postgres (a schema that
 * does not exist until the first run), then the same store exported to a SQLite warehouse:
 * Contract column types, a no-op second run, and identical rows in both.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const company = generateSampleCompany({ seed: 11, now: NOW, customers: 120 });
const warehouseSchema = `zt_test_wh_${randomBytes(5).toString('hex')}`;
const warehouseUrl = `${TEST_DATABASE_URL}?schema=${warehouseSchema}`;

let dir: string;
let simulator: Awaited<ReturnType<typeof startZendeskSimulator>>;
let env: Record<string, string>;

const cli = (args: string[], extra: Record<string, string> = {}, now = NOW) =>
  runCli(args, { env: { ...env, ...extra }, cwd: dir, now: () => now });

async function runJson(extra: Record<string, string>, now = NOW) {
  const run = await cli(['run', '--once', '--dry-run', '--json'], extra, now);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { exported: { tickets: number; statuses: number; written: number } };
}

async function postgresWarehouse(): Promise<WarehouseSnapshot> {
  const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: warehouseSchema });
  try {
    return await postgresSnapshot(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-wh-'));
  simulator = await startZendeskSimulator({ company, email: 'admin@sim.test', token: 'sim-token' });
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  writeSampleFiles(dir, company);
  const connect = await cli(simulatorConnectArgs(simulator.baseUrl, NOW - 400 * DAY));
  expect(connect.code, connect.stderr).toBe(0);
  expect((await cli(['import', 'customers', 'customers.csv'])).code).toBe(0);
  expect((await cli(['import', 'milestones', 'milestones.jsonl'])).code).toBe(0);
});

afterAll(async () => {
  await simulator?.close();
  await queryTestDatabase(`DROP SCHEMA IF EXISTS "${warehouseSchema}" CASCADE`);
  rmSync(dir, { recursive: true, force: true });
});

describe('warehouse export to Postgres (WAREHOUSE_URL) and SQLite', () => {
  let first: WarehouseSnapshot;

  it('creates the schema and the zt_* tables with the Contract column types, and fills them', async () => {
    const run = await runJson({ WAREHOUSE_URL: warehouseUrl });
    expect(run.exported.tickets).toBeGreaterThan(50);
    expect(run.exported.written).toBeGreaterThan(run.exported.tickets);

    const columns = await queryTestDatabase<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND table_name LIKE 'zt\\_%' ORDER BY table_name, ordinal_position`,
      [warehouseSchema],
    );
    const byTable = (table: string) =>
      Object.fromEntries(
        columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c.data_type]),
      );
    const tz = 'timestamp with time zone';
    expect(byTable('zt_tickets')).toEqual({
      source: 'text',
      ticket_id: 'text',
      customer_id: 'text',
      link_method: 'text',
      created_at: tz,
      updated_at: tz,
      status: 'text',
      reason_id: 'text',
      reason_confidence: 'double precision',
      classified_by: 'text',
      // Not in the Contract's list: the reason loop's addition (why a ticket got its reason).
      reason_detail: 'text',
      milestone_phase: 'text',
      in_window: 'boolean',
      counts_toward_metric: 'boolean',
      exported_at: tz,
    });
    expect(byTable('zt_customer_status')).toEqual({
      customer_id: 'text',
      name: 'text',
      window_start: tz,
      completed_at: tz,
      window_end: tz,
      status: 'text',
      counting_tickets: 'integer',
      first_ticket_id: 'text',
      first_ticket_reason: 'text',
      computed_at: tz,
      exported_at: tz,
    });
    expect(byTable('zt_metric_periods')).toEqual({
      period_kind: 'text',
      period_start: 'date',
      closed_windows: 'integer',
      zero_tickets: 'integer',
      had_tickets: 'integer',
      zero_ticket_pct: 'double precision',
      exported_at: tz,
    });
    expect(byTable('zt_reason_daily')).toEqual({
      day: 'date',
      reason_id: 'text',
      tickets: 'integer',
      exported_at: tz,
    });

    first = await postgresWarehouse();
    expect(first.tickets).toHaveLength(company.zendesk.tickets.length);
    expect(first.statuses).toHaveLength(company.customers.length);
    expect(first.periods.length).toBeGreaterThan(0);
    expect(first.reasonDaily.length).toBeGreaterThan(0);
    expect(new Set(first.tickets.map((t) => t.exportedAt))).toEqual(new Set([NOW]));
  });

  it('writes nothing on a second run with no change: a write count of 0, exported_at unchanged', async () => {
    const run = await runJson({ WAREHOUSE_URL: warehouseUrl }, NOW + 1000);
    expect(run.exported).toMatchObject({ tickets: 0, statuses: 0, written: 0 });
    expect(await postgresWarehouse()).toEqual(first);
  });

  it('holds the same rows as a SQLite warehouse exported from the same store', async () => {
    // A new, empty warehouse: the export sends it every row again.
    const run = await runJson({ WAREHOUSE_URL: 'file:./warehouse.db' }, NOW + 2000);
    expect(run.exported.tickets).toBe(company.zendesk.tickets.length);
    const store = await openSqliteStore({ file: join(dir, 'warehouse.db') });
    let fromSqlite: WarehouseSnapshot;
    try {
      fromSqlite = await sqliteSnapshot(store);
    } finally {
      await store.close();
    }
    const withoutExportedAt = (s: WarehouseSnapshot) => ({
      tickets: s.tickets.map(({ exportedAt: _, ...row }) => row),
      statuses: s.statuses.map(({ exportedAt: _, ...row }) => row),
      periods: s.periods.map(({ exportedAt: _, ...row }) => row),
      reasonDaily: s.reasonDaily.map(({ exportedAt: _, ...row }) => row),
    });
    expect(withoutExportedAt(fromSqlite)).toEqual(withoutExportedAt(first));
    expect(new Set(fromSqlite.tickets.map((t) => t.exportedAt))).toEqual(new Set([NOW + 2000]));

    // And on disk, the Contract's SQLite forms: ISO-8601 UTC text, booleans 0/1.
    const raw = new Database(join(dir, 'warehouse.db'), { readonly: true });
    try {
      const row = raw
        .prepare('SELECT created_at, in_window, exported_at FROM zt_tickets LIMIT 1')
        .get() as Record<string, unknown>;
      expect(row.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row.in_window === 0 || row.in_window === 1).toBe(true);
      expect(row.exported_at).toBe(new Date(NOW + 2000).toISOString());
    } finally {
      raw.close();
    }
  });
});
