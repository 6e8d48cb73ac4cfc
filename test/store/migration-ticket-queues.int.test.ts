import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { openPostgresConnection } from '../../src/store/postgres/connection.js';
import { openSqliteConnection } from '../../src/store/sqlite/connection.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.js';

/**
 * Migration 0003 moved the tickets' `pending` and `exported` flags into queue tables. A database
 * made before it must keep every mark: an ops team upgrading mid-backfill loses no work.
 */

const folders: string[] = [];
let schema: TestSchema | null = null;

afterEach(async () => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  await schema?.drop();
  schema = null;
});

/** The package's migrations for `dialect`, up to and including the `count`-th. */
function migrationsUpTo(dialect: 'sqlite' | 'postgres', count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-migrations-'));
  folders.push(dir);
  cpSync(join(packageRoot(), 'migrations', dialect), dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

// Three tickets before the upgrade: waiting for linking, linked but not exported, done.
const FLAGS = [
  { id: '1', pending: true, exported: false },
  { id: '2', pending: false, exported: false },
  { id: '3', pending: false, exported: true },
];

describe('migration 0003 (ticket queues)', () => {
  it('carries the pending and unexported marks of a SQLite database over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-upgrade-'));
    folders.push(dir);
    const file = join(dir, 'old.db');
    const old = openSqliteConnection({ file, migrationsFolder: migrationsUpTo('sqlite', 3) });
    const insert = old.client.prepare(
      `INSERT INTO tickets (source, ticket_id, connection_id, created_at, updated_at, status, subject, body,
        tags, fields, requester_org_ids, outbound, deleted, merged, pending, exported)
       VALUES ('zendesk', ?, 'zd', '2025-03-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', 'open', 's', 'b',
        '[]', '{}', '[]', 0, 0, 0, ?, ?)`,
    );
    for (const t of FLAGS) insert.run(t.id, t.pending ? 1 : 0, t.exported ? 1 : 0);
    old.client.close();

    const upgraded = openSqliteConnection({ file });
    try {
      const ids = (table: string) =>
        upgraded.client.prepare(`SELECT ticket_id FROM ${table} ORDER BY ticket_id`).pluck().all();
      expect(ids('pending_tickets')).toEqual(['1']);
      expect(ids('unexported_tickets')).toEqual(['1', '2']);
      expect(ids('tickets')).toEqual(['1', '2', '3']);
      const columns = upgraded.client.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('tickets');
      expect(columns).not.toContain('pending');
      expect(columns).not.toContain('exported');
    } finally {
      upgraded.client.close();
    }
  });

  it('carries the pending and unexported marks of a Postgres schema over', async () => {
    schema = await createTestSchema();
    const old = await openPostgresConnection({
      url: TEST_DATABASE_URL,
      schema: schema.schema,
      migrationsFolder: migrationsUpTo('postgres', 3),
    });
    for (const t of FLAGS) {
      await old.pool.query(
        `INSERT INTO tickets (source, ticket_id, connection_id, created_at, updated_at, status, subject, body,
          tags, fields, requester_org_ids, outbound, deleted, merged, pending, exported)
         VALUES ('zendesk', $1, 'zd', now(), now(), 'open', 's', 'b', '[]', '{}', '[]', false, false, false, $2, $3)`,
        [t.id, t.pending, t.exported],
      );
    }
    await old.pool.end();

    const upgraded = await openPostgresConnection({ url: TEST_DATABASE_URL, schema: schema.schema });
    try {
      const ids = async (table: string) =>
        (await upgraded.pool.query(`SELECT ticket_id FROM ${table} ORDER BY ticket_id`)).rows.map(
          (r: { ticket_id: string }) => r.ticket_id,
        );
      expect(await ids('pending_tickets')).toEqual(['1']);
      expect(await ids('unexported_tickets')).toEqual(['1', '2']);
      expect(await ids('tickets')).toEqual(['1', '2', '3']);
      const columns = await upgraded.pool.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'tickets'`,
        [schema.schema],
      );
      expect(columns.rows.map((r: { column_name: string }) => r.column_name)).not.toContain('pending');
    } finally {
      await upgraded.pool.end();
    }
  });
});
