import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Connector } from '../../../connectors/connector.js';
import { createMemoryBudget } from '../../../connectors/shared/budget.js';
import type { Fault } from '../../../connectors/simulator/faults.js';
import { generateSampleCompany } from '../../../connectors/simulator/sample-company.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../../connectors/simulator/zendesk-simulator.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { type SyncResult, syncConnection } from '../../../src/jobs/handlers/sync-connection.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';

export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const COMPANY = generateSampleCompany({ seed: 11, now: NOW, customers: 160 });
export const ALL_IDS = COMPANY.zendesk.tickets.map((t) => String(t.id)).sort();
export const ADMIN = { email: 'sam@fieldnote.app', token: 'zd-secret-token-5f3a9c' };
export const WEBHOOK_SECRET = 'whsec-simulated-6b1d';

/**
 * One simulated Zendesk, one real SQLite store and the real sync handler, on one fake clock:
 * the simulator's rate limit and Retry-After are in the same virtual seconds the connector
 * sleeps, so nothing really waits. Every log line (debug included) is kept.
 */
export async function startHarness(options: { pageSize?: number; faults?: Fault[] } = {}) {
  const clock = { now: NOW };
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.now += ms;
  };
  const logLines: string[] = [];
  const logger: Logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });
  const sim: ZendeskSimulator = await startZendeskSimulator({
    company: COMPANY,
    ...ADMIN,
    pageSize: options.pageSize ?? 25,
    clock: () => clock.now,
    limits: { perMinute: 200, exportPerMinute: 10 },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'zt-zendesk-'));
  const file = join(dir, 'zt.db');
  const store = await openSqliteStore({ file });
  await store.saveConnection(
    { id: 'zd', kind: 'zendesk', settings: { subdomain: 'fieldnote', baseUrl: sim.baseUrl }, secret: 'x' },
    NOW,
  );
  const budget = createMemoryBudget({ now: () => clock.now, sleep });
  const connector = (): Connector =>
    createZendeskConnector({
      connectionId: 'zd',
      settings: { subdomain: 'fieldnote', baseUrl: sim.baseUrl },
      credentials: { ...ADMIN, webhookSecret: WEBHOOK_SECRET },
      logger: logger.child({ connectionId: 'zd' }),
      now: () => clock.now,
      sleep,
      budget,
    });

  const sync = (over: Store = store): Promise<SyncResult> =>
    syncConnection(
      { store: over, logger, now: () => clock.now, openConnector: connector, progress: () => {} },
      { connectionId: 'zd' },
    );

  /** Ticket rows as the SQLite file holds them. */
  const rows = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT * FROM tickets ORDER BY ticket_id').all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  };

  return {
    sim,
    store,
    clock,
    waits,
    logLines,
    logger,
    connector,
    sync,
    rows,
    async close() {
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** The real store, except that its `n`th page commit dies as a killed process would. */
export function crashingOnCommit(store: Store, n: number): Store {
  let commits = 0;
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'commitSyncPage') {
        return async (page: Parameters<Store['commitSyncPage']>[0]) => {
          commits += 1;
          if (commits === n) throw new Error('killed mid-backfill');
          return target.commitSyncPage(page);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
