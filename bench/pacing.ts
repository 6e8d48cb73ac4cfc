import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startZendeskSimulator } from '../connectors/simulator/zendesk-simulator.js';
import { createZendeskConnector } from '../connectors/zendesk/index.js';
import { syncConnection } from '../src/jobs/handlers/sync-connection.js';
import { silentLogger } from '../src/logger.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { exportPage } from './synthetic-company.js';

/** The pacing run: a sync against the simulator with its rate limit enforced. */
export interface PacingResult {
  limitPerMinute: number;
  /** Virtual minutes per real minute. */
  timeScale: number;
  requests: number;
  /** Requests per virtual minute over the sync's full minutes. */
  achievedPerMinute: number;
  efficiencyPct: number;
  /** 429s received: every one is unplanned (the run injects none). */
  unplanned429s: number;
  /** Times the request budget made the connector wait (0: the limit never bound). */
  budgetWaits: number;
  /** Virtual wall time of the sync, and the fastest the limit allows (requests / limit). */
  wallMs: number;
  minimumMs: number;
  note?: string;
}

const WINDOW = 60_000;

/**
 * A backfill of `pages` export pages through the real Zendesk connector and its request budget
 * against the simulator enforcing `limitPerMinute` on the export (a scaled-up High Volume
 * export limit; the account's limit is a quarter higher), on a clock running `timeScale` times faster than real time so a
 * multi-minute sync takes seconds. Both sides read the same clock, as Zendesk and we both read
 * UTC. Efficiency is the share of each full minute's allowance the sync used.
 */
export async function runPacing(options: {
  limitPerMinute: number;
  pages: number;
  timeScale?: number;
}): Promise<PacingResult> {
  const limit = options.limitPerMinute;
  const accountLimit = Math.ceil(limit * 1.25);
  const scale = options.timeScale ?? 4;
  const perPage = 2;
  const company = {
    seed: 7,
    now: Date.parse('2026-11-30T00:00:00Z'),
    size: { customers: 500, tickets: options.pages * perPage, milestones: 0 },
  };
  const raw = exportPage(company, 1, company.size.tickets);
  // Start on a minute boundary, so the first minute is a whole one for both sides.
  const virtualStart = Math.ceil(company.now / WINDOW) * WINDOW + WINDOW;
  const realStart = performance.now();
  const clock = () => Math.floor(virtualStart + (performance.now() - realStart) * scale);
  let budgetWaits = 0;
  const sleep = async (ms: number) => {
    if (ms > 0) budgetWaits += 1;
    await delay(ms / scale);
  };

  const simulator = await startZendeskSimulator({
    tickets: raw.tickets,
    users: raw.users,
    organizations: raw.organizations,
    email: 'bench@sim.test',
    token: 'bench',
    pageSize: perPage,
    clock,
    // The account allows more than the export, as on Zendesk: the export's limit is the one
    // that binds, and an export answer is never mistaken for the account's limit (pacing.ts).
    rateLimitPerMinute: accountLimit,
    limits: { perMinute: accountLimit, exportPerMinute: limit },
  });
  const dir = mkdtempSync(join(tmpdir(), 'zt-pacing-'));
  const store = await openSqliteStore({ file: join(dir, 'pacing.db') });
  try {
    const settings = {
      subdomain: 'bench',
      baseUrl: simulator.baseUrl,
      exportLimitPerMinute: limit,
      since: '2024-01-01',
    };
    await store.saveConnection({ id: 'pacing', kind: 'zendesk', settings, secret: '' }, clock());
    const started = clock();
    await syncConnection(
      {
        store,
        logger: silentLogger(),
        now: clock,
        progress: () => {},
        openConnector: (connection) =>
          createZendeskConnector({
            connectionId: connection.id,
            settings: connection.settings,
            credentials: { email: 'bench@sim.test', token: 'bench' },
            logger: silentLogger(),
            now: clock,
            sleep,
          }),
      },
      { connectionId: 'pacing' },
    );
    const wallMs = clock() - started;
    const served = simulator.requests.filter((r) => r.path.includes('/incremental/'));
    const perWindow = new Map<number, number>();
    for (const r of served)
      perWindow.set(Math.floor(r.at / WINDOW), (perWindow.get(Math.floor(r.at / WINDOW)) ?? 0) + 1);
    const windows = [...perWindow.keys()].sort((a, b) => a - b);
    const full = windows.length > 1 ? windows.slice(0, -1) : windows;
    const used = full.reduce((sum, w) => sum + (perWindow.get(w) ?? 0), 0);
    const achievedPerMinute = used / full.length;
    const result: PacingResult = {
      limitPerMinute: limit,
      timeScale: scale,
      requests: served.length,
      achievedPerMinute,
      efficiencyPct: Math.round((achievedPerMinute / limit) * 1000) / 10,
      unplanned429s: served.filter((r) => r.status === 429).length,
      budgetWaits,
      wallMs,
      minimumMs: Math.round((served.length / limit) * WINDOW),
    };
    if (served.length <= limit) result.note = 'fewer requests than one minute allows: the limit never bound';
    else if (budgetWaits === 0)
      result.note =
        'the budget never waited: this machine could not send requests as fast as the limit allows';
    return result;
  } finally {
    await store.close();
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
