import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../connectors/simulator/random.js';
import { generateSampleCompany } from '../../connectors/simulator/sample-company.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../connectors/simulator/zendesk-simulator.js';
import {
  buildPackage,
  drillEnv,
  integrityCheck,
  prepareDatabase,
  runBinary,
  SIM_EMAIL,
  SIM_TOKEN,
  startProxy,
  warehouseRows,
} from './drill-helpers.js';

/**
 * Drill: `kill -9` a real `zerotickets run --once` mid-backfill, twice, at random pages, then
 * let it finish. A proxy in front of the simulator kills the child while it waits for page k,
 * so pages 1..k-1 are exactly what it had committed. The warehouse must end up identical to
 * an uninterrupted run's, and the database intact. Set ZT_DRILL_SEED to replay another draw.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const PAGE_SIZE = 40;
const seed = Number(process.env.ZT_DRILL_SEED ?? 1161);
const company = generateSampleCompany({ seed: 7, now: NOW });
const pages = Math.ceil(company.zendesk.tickets.length / PAGE_SIZE);

let dir: string;
let simulator: ZendeskSimulator;

beforeAll(async () => {
  buildPackage();
  dir = mkdtempSync(join(tmpdir(), 'zt-kill-'));
  simulator = await startZendeskSimulator({
    company,
    email: SIM_EMAIL,
    token: SIM_TOKEN,
    pageSize: PAGE_SIZE,
  });
}, 120_000);

afterAll(async () => {
  await simulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const isExportPage = (url: string | undefined) => (url ?? '').includes('/incremental/tickets/cursor');

/** Tickets of the sample company the database holds (synced, whatever step they reached). */
function syncedTickets(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('kill -9 mid-backfill', () => {
  it('resumes from the last committed page and ends with the warehouse of an uninterrupted run', async () => {
    expect(pages).toBeGreaterThan(6);
    const random = createRandom(seed);
    const firstKill = random.int(2, Math.floor(pages / 2));
    const secondKill = random.int(2, pages - firstKill - 1);
    const since = NOW - 400 * DAY;

    // The reference: one uninterrupted run on its own database.
    const reference = join(dir, 'reference');
    const referenceEnv = drillEnv(dir, 'reference.db');
    await prepareDatabase(dir, referenceEnv, company, simulator.baseUrl, since);
    const clean = await runBinary(['run', '--once', '--dry-run'], referenceEnv, dir);
    expect(clean.code, clean.stderr).toBe(0);

    // The drill: the same company through a proxy that kills the child at chosen export pages.
    let child: ChildProcess | null = null;
    let killAt = firstKill;
    let exportRequests = 0;
    const proxy = await startProxy(simulator.baseUrl, (_n, req, res) => {
      if (!isExportPage(req.url)) return false;
      exportRequests += 1;
      if (exportRequests !== killAt || !child) return false;
      child.kill('SIGKILL');
      res.destroy();
      return true;
    });
    try {
      const env = drillEnv(dir, 'drill.db');
      const file = join(dir, 'drill.db');
      await prepareDatabase(dir, env, company, proxy.url, since);

      const first = await runBinary(['run', '--once', '--dry-run'], env, dir, (c) => {
        child = c;
      });
      expect(first.signal, `first kill at page ${firstKill} of ${pages}`).toBe('SIGKILL');
      expect(syncedTickets(file)).toBe((firstKill - 1) * PAGE_SIZE);
      expect(integrityCheck(file)).toBe('ok');

      // The restart resumes at the stored cursor: the k-th page it asks for is page k of what is left.
      exportRequests = 0;
      killAt = secondKill;
      const second = await runBinary(['run', '--once', '--dry-run'], env, dir, (c) => {
        child = c;
      });
      expect(second.signal, `second kill at page ${secondKill} after the restart`).toBe('SIGKILL');
      expect(syncedTickets(file)).toBe((firstKill - 1 + secondKill - 1) * PAGE_SIZE);
      expect(integrityCheck(file)).toBe('ok');

      exportRequests = 0;
      killAt = Number.POSITIVE_INFINITY;
      const last = await runBinary(['run', '--once', '--dry-run'], env, dir, (c) => {
        child = c;
      });
      expect(last.code, last.stderr).toBe(0);
      // Only what was left was fetched: pages from the committed cursor on, none twice.
      expect(exportRequests).toBe(pages - (firstKill - 1) - (secondKill - 1));
      expect(integrityCheck(file)).toBe('ok');

      const drilled = warehouseRows(file);
      const expected = warehouseRows(`${reference}.db`);
      expect(drilled.tickets).toHaveLength(company.zendesk.tickets.length);
      expect(drilled.statuses).toHaveLength(company.customers.length);
      expect(drilled).toEqual(expected);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
