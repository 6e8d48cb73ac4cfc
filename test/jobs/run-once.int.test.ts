import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleCompany } from '../../connectors/simulator/sample-company.js';
import { startZendeskSimulator } from '../../connectors/simulator/zendesk-simulator.js';
import { type CliRun, runCli } from '../helpers/cli.js';
import { simulatorConnectArgs, writeSampleFiles } from '../helpers/sample-files.js';

/**
 * The whole pipeline through the real CLI, against the simulated Zendesk and a real SQLite
 * file, checked against what the generated company implies.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const company = generateSampleCompany({ seed: 7, now: NOW });

let dir: string;
let simulator: Awaited<ReturnType<typeof startZendeskSimulator>>;
let env: Record<string, string>;
let firstRun: CliRun;

function cli(args: string[]) {
  return runCli(args, { env, cwd: dir, now: () => NOW });
}

function db() {
  return new Database(join(dir, 'zt.db'), { readonly: true });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-e2e-'));
  simulator = await startZendeskSimulator({ company, email: 'admin@sim.test', token: 'sim-token' });
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  writeSampleFiles(dir, company);
  const connect = await cli(simulatorConnectArgs(simulator.baseUrl, NOW - 400 * DAY));
  expect(connect.stderr).toBe('');
  expect(connect.code).toBe(0);
  expect((await cli(['import', 'customers', 'customers.csv'])).code).toBe(0);
  expect((await cli(['import', 'milestones', 'milestones.jsonl'])).code).toBe(0);
  firstRun = await cli(['run', '--once', '--dry-run']);
});

afterAll(async () => {
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run --once on the simulated company', () => {
  it('exits 0 and prints the digest', () => {
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toContain('Companies with zero support tickets');
    expect(firstRun.stdout).toMatch(/Last closed week \(from \d{4}-\d{2}-\d{2}\): \*\d+\.\d%\*/);
  });

  it('keeps one zt_tickets row per synced ticket, deleted, merged and unlinked ones included', () => {
    const rows = db().prepare('SELECT source, ticket_id FROM zt_tickets').all() as Array<{
      source: string;
      ticket_id: string;
    }>;
    expect(rows.map((r) => r.ticket_id).sort()).toEqual(
      company.zendesk.tickets.map((t) => String(t.id)).sort(),
    );
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['zendesk']));
  });

  it('never counts deleted, merged or agent-created tickets', () => {
    const agents = new Set(company.zendesk.users.filter((u) => u.role !== 'end-user').map((u) => u.id));
    const excluded = company.zendesk.tickets.filter(
      (t) =>
        t.status === 'deleted' || (t.tags ?? []).includes('closed_by_merge') || agents.has(t.requester_id),
    );
    expect(excluded.length).toBeGreaterThan(0);
    const counting = db()
      .prepare('SELECT ticket_id FROM zt_tickets WHERE counts_toward_metric = 1')
      .all()
      .map((r) => (r as { ticket_id: string }).ticket_id);
    for (const t of excluded) expect(counting).not.toContain(String(t.id));
  });

  it('gives every customer the status its milestones and counting tickets imply', () => {
    const conn = db();
    const statuses = conn.prepare('SELECT * FROM zt_customer_status').all() as Array<Record<string, unknown>>;
    expect(statuses).toHaveLength(company.customers.length);
    const countingByCustomer = new Map<string, number[]>();
    for (const row of conn
      .prepare('SELECT customer_id, created_at FROM zt_tickets WHERE counts_toward_metric = 1')
      .all() as Array<{ customer_id: string; created_at: string }>) {
      countingByCustomer.set(row.customer_id, [
        ...(countingByCustomer.get(row.customer_id) ?? []),
        Date.parse(row.created_at),
      ]);
    }
    for (const s of statuses) {
      const id = s.customer_id as string;
      const own = company.milestones.filter((m) => m.customerId === id);
      const starts = own.filter((m) => m.milestone === 'signed_up').map((m) => m.occurredAt);
      const start = starts.length ? Math.min(...starts) : null;
      const completions = own.filter(
        (m) => m.milestone === 'onboarding_completed' && start !== null && m.occurredAt >= start,
      );
      const completed = completions.length ? Math.min(...completions.map((m) => m.occurredAt)) : null;
      const end = completed === null ? null : completed + 14 * DAY;
      const counting = countingByCustomer.get(id) ?? [];
      for (const created of counting) {
        expect(created).toBeGreaterThanOrEqual(start!);
        if (end !== null) expect(created).toBeLessThan(end);
      }
      const expected =
        start === null
          ? 'not_started'
          : counting.length > 0
            ? 'had_tickets'
            : end !== null
              ? NOW >= end
                ? 'zero_tickets'
                : 'in_buffer'
              : NOW - start >= 60 * DAY
                ? 'stalled'
                : 'in_progress';
      expect({ id, status: s.status, counting: s.counting_tickets }).toEqual({
        id,
        status: expected,
        counting: counting.length,
      });
      expect(s.window_start === null ? null : Date.parse(s.window_start as string)).toBe(start);
      expect(s.window_end === null ? null : Date.parse(s.window_end as string)).toBe(end);
    }
  });

  it('counts each closed window once in the week and month periods', () => {
    const conn = db();
    const closed = conn
      .prepare(
        "SELECT COUNT(*) AS n FROM zt_customer_status WHERE status IN ('zero_tickets','had_tickets') AND window_end IS NOT NULL AND window_end <= ?",
      )
      .get(new Date(NOW).toISOString()) as { n: number };
    for (const kind of ['week', 'month']) {
      const sum = conn
        .prepare(
          'SELECT SUM(closed_windows) AS n, SUM(zero_tickets + had_tickets) AS m FROM zt_metric_periods WHERE period_kind = ?',
        )
        .get(kind) as { n: number; m: number };
      expect(sum.n).toBe(closed.n);
      expect(sum.m).toBe(closed.n);
    }
    expect(closed.n).toBeGreaterThan(0);
  });

  it('leaves tickets from people nobody listed unlinked, and reports them', async () => {
    const unlinked = db()
      .prepare("SELECT COUNT(*) AS n FROM zt_tickets WHERE link_method = 'none'")
      .get() as { n: number };
    expect(unlinked.n).toBeGreaterThan(0);
    const status = await cli(['status', '--json']);
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc.connections).toEqual([
      { id: 'zendesk-sim', kind: 'zendesk', lastSyncAt: new Date(NOW).toISOString() },
    ]);
    expect(doc.zeroTicketPct === null || (doc.zeroTicketPct >= 0 && doc.zeroTicketPct <= 100)).toBe(true);
    expect(doc.zeroTickets + doc.hadTickets).toBe(doc.closedWindows);
    const deletedUnlinked = db()
      .prepare("SELECT COUNT(*) AS n FROM zt_tickets t WHERE link_method = 'none' AND status = 'deleted'")
      .get() as { n: number };
    expect(doc.unlinkedTickets).toBe(unlinked.n - deletedUnlinked.n);
  });

  it('changes nothing in the warehouse on a second run with no new data', async () => {
    const before = db().prepare('SELECT * FROM zt_tickets ORDER BY ticket_id').all();
    const statusBefore = db().prepare('SELECT * FROM zt_customer_status ORDER BY customer_id').all();
    const again = await cli(['run', '--once', '--dry-run']);
    expect(again.code).toBe(0);
    expect(db().prepare('SELECT * FROM zt_tickets ORDER BY ticket_id').all()).toEqual(before);
    expect(db().prepare('SELECT * FROM zt_customer_status ORDER BY customer_id').all()).toEqual(statusBefore);
  });
});
