import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../connectors/simulator/faults.js';
import { generateSampleCompany } from '../../connectors/simulator/sample-company.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../connectors/simulator/zendesk-simulator.js';
import { createZendeskConnector } from '../../connectors/zendesk/index.js';
import { syncConnection } from '../../src/jobs/handlers/sync-connection.js';
import { silentLogger } from '../../src/logger.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { integrityCheck } from './drill-helpers.js';

/**
 * Drills: the helpdesk misbehaves during a backfill — a 429 storm, a 5xx burst, slow answers,
 * unreadable pages, a broken ticket, a repeated page. The real connector syncs the simulator
 * into a real SQLite store on a virtual clock (every wait the connector makes moves it, so
 * Retry-After and backoff cost no real time). Each sync must end with exactly the simulator's
 * tickets, every bad payload quarantined, and a 429's Retry-After honoured before the retry.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const PAGE = 40;
const company = generateSampleCompany({ seed: 11, now: NOW });
const allIds = company.zendesk.tickets.map((t) => String(t.id)).sort();
const pages = Math.ceil(allIds.length / PAGE);
const CONNECTION = 'sim';

let dir: string;
let store: SqliteStore;
let simulator: ZendeskSimulator;
let clock: number;
let waits: number[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-faults-'));
  store = await openSqliteStore({ file: join(dir, 'zt.db') });
  await store.saveConnection(
    {
      id: CONNECTION,
      kind: 'zendesk',
      settings: { since: new Date(NOW - 400 * DAY).toISOString() },
      secret: '',
    },
    NOW,
  );
  clock = NOW + 3_600_000;
  waits = [];
});

afterEach(async () => {
  await simulator?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(faults: Fault[] = []): Promise<void> {
  simulator = await startZendeskSimulator({
    company,
    email: 'admin@sim.test',
    token: 't',
    pageSize: PAGE,
    clock: () => clock,
    faults,
  });
}

/** One sync; `afterPage(n)` runs after the n-th committed page (to inject a fault mid-sync). */
function sync(afterPage: (page: number) => void = () => {}) {
  let committed = 0;
  return syncConnection(
    {
      store,
      logger: silentLogger(),
      now: () => clock,
      progress: (line) => {
        if (line.startsWith('sync ')) afterPage(++committed);
      },
      openConnector: (connection) =>
        createZendeskConnector({
          connectionId: connection.id,
          settings: { subdomain: 'sim', baseUrl: simulator.baseUrl },
          credentials: { email: 'admin@sim.test', token: 't' },
          logger: silentLogger(),
          now: () => clock,
          sleep: async (ms) => {
            waits.push(ms);
            clock += ms;
          },
        }),
    },
    { connectionId: CONNECTION },
  );
}

function stored(): { ids: string[]; quarantine: Array<{ kind: string; external_id: string | null }> } {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    const ids = (
      db.prepare('SELECT ticket_id FROM tickets ORDER BY ticket_id').all() as Array<{ ticket_id: string }>
    ).map((r) => r.ticket_id);
    const quarantine = db.prepare('SELECT kind, external_id FROM quarantine ORDER BY id').all() as Array<{
      kind: string;
      external_id: string | null;
    }>;
    return { ids: ids.sort(), quarantine };
  } finally {
    db.close();
  }
}

const statuses = () =>
  simulator.requests.filter((r) => r.path.includes('/incremental/')).map((r) => r.status);

describe('helpdesk faults during a backfill', () => {
  it('a clean backfill (the reference): every ticket, nothing quarantined', async () => {
    await start();
    const result = await sync();
    expect(result).toMatchObject({ pages, tickets: allIds.length, quarantined: 0 });
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
  });

  it('a 429 storm mid-sync: Retry-After honoured before each retry, then every ticket, none twice', async () => {
    await start();
    const result = await sync((page) => {
      if (page === 2) simulator.inject({ kind: 'rate-limit', retryAfterSeconds: 30, times: 4 });
    });
    expect(statuses().filter((s) => s === 429)).toHaveLength(4);
    // Each 429 was followed by a wait of at least its Retry-After before the next attempt.
    const limited = simulator.requests.filter((r) => r.status === 429);
    for (const [i, request] of limited.entries()) {
      const next = simulator.requests[simulator.requests.indexOf(request) + 1];
      expect(next!.at - request.at, `retry ${i + 1}`).toBeGreaterThanOrEqual(30_000);
    }
    expect(result).toMatchObject({ tickets: allIds.length, quarantined: 0 });
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
  });

  it('a 5xx burst the retries absorb: every ticket', async () => {
    await start([{ kind: 'status', status: 503, times: 3, path: '/incremental/' }]);
    const result = await sync();
    expect(statuses().slice(0, 4)).toEqual([503, 503, 503, 200]);
    expect(result).toMatchObject({ pages, tickets: allIds.length, quarantined: 0 });
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
  });

  it('a 5xx burst longer than the retries: the sync fails keeping its pages; the next one completes', async () => {
    await start();
    const failed = await sync((page) => {
      if (page === 3) simulator.inject({ kind: 'status', status: 502, times: 50, path: '/incremental/' });
    }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failed?.name).toBe('TransientError');
    expect(stored().ids).toHaveLength(3 * PAGE);
    expect(statuses().filter((s) => s === 502)).toHaveLength(5);
    // The helpdesk recovers (a fresh simulator has no burst left); the next sync resumes.
    await simulator.close();
    await start();
    const result = await sync();
    expect(result).toMatchObject({ pages: pages - 3, tickets: allIds.length - 3 * PAGE, quarantined: 0 });
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
    expect(integrityCheck(join(dir, 'zt.db'))).toBe('ok');
  });

  it('slow answers: every ticket', async () => {
    await start([{ kind: 'slow', delayMs: 150, times: 3, path: '/incremental/' }]);
    const result = await sync();
    expect(result).toMatchObject({ pages, tickets: allIds.length, quarantined: 0 });
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
  });

  it('unreadable pages: each quarantined, asked again, every ticket', async () => {
    await start([
      { kind: 'malformed', path: '/incremental/' },
      { kind: 'malformed', body: '{"tickets": "not a list"}', path: '/incremental/' },
    ]);
    const result = await sync((page) => {
      if (page === 2) simulator.inject({ kind: 'malformed', body: 'Bad Gateway', path: '/incremental/' });
    });
    expect(result).toMatchObject({ tickets: allIds.length, quarantined: 3 });
    expect(stored()).toEqual({ ids: allIds, quarantine: Array(3).fill({ kind: 'page', external_id: null }) });
  });

  it('unreadable pages that do not stop: the sync fails loudly, skips nothing, and the next one completes', async () => {
    await start();
    const failed = await sync((page) => {
      if (page === 1) simulator.inject({ kind: 'malformed', times: 10, path: '/incremental/' });
    }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failed?.name).toBe('InvalidPayloadError');
    expect(failed?.message).toMatch(/cursor\.json: HTTP 200 body is not JSON: <html>/);
    expect(stored().ids).toHaveLength(PAGE);
    await simulator.close();
    await start();
    const result = await sync();
    expect(result).toMatchObject({ tickets: allIds.length - PAGE, quarantined: 0 });
    expect(stored().ids).toEqual(allIds);
  });

  it('a ticket that fails validation: quarantined by id, every other ticket stored', async () => {
    await start();
    let broken: string | null = null;
    const result = await sync((page) => {
      if (page === 1) simulator.inject({ kind: 'bad-ticket', path: '/incremental/' });
      if (page === 2) broken = stored().quarantine[0]?.external_id ?? null;
    });
    expect(broken).not.toBeNull();
    expect(result).toMatchObject({ tickets: allIds.length - 1, quarantined: 1 });
    expect(stored()).toEqual({
      ids: allIds.filter((id) => id !== broken),
      quarantine: [{ kind: 'ticket', external_id: broken }],
    });
  });

  it('a page that repeats the previous one: every ticket once', async () => {
    await start();
    const result = await sync((page) => {
      if (page === 2) simulator.inject({ kind: 'duplicate', path: '/incremental/' });
    });
    expect(result.quarantined).toBe(0);
    expect(stored()).toEqual({ ids: allIds, quarantine: [] });
  });
});
