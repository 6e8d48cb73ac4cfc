import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../connectors/connector.js';
import { decodeCursor } from '../../../connectors/intercom/cursor.js';
import { createIntercomConnector } from '../../../connectors/intercom/index.js';
import { createMemoryBudget } from '../../../connectors/shared/budget.js';
import {
  type IntercomSimulator,
  startIntercomSimulator,
} from '../../../connectors/simulator/intercom-simulator.js';
import { syncConnection } from '../../../src/jobs/handlers/sync-connection.js';
import { silentLogger } from '../../../src/logger.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';

/**
 * A long sync through the real connector, the simulated Intercom over HTTP and a real SQLite
 * file: 1,000 conversations (7 search pages), a crash in the middle while teammates keep
 * changing conversations, and a resume. Time is a shared fake clock that moves only when the
 * connector or the budget sleeps.
 */
const T0 = Date.parse('2026-11-24T12:00:00Z');
const DAY_S = 86_400;
const N = 1_000;
const TOKEN = 'sim-token';

let dir: string;
let store: Store;
let simulator: IntercomSimulator;
const clock = { now: T0 };

function workspace() {
  const companies = Array.from({ length: 20 }, (_, i) => ({
    type: 'company',
    id: `co${i}`,
    company_id: `cus_${i}`,
    name: `Company ${i}`,
  }));
  const contacts = Array.from({ length: 400 }, (_, i) => ({
    type: 'contact',
    id: `ct${i}`,
    role: i % 10 === 0 ? 'lead' : 'user',
    email: `person${i}@company${i % 20}.test`,
    external_id: i % 3 === 0 ? `cus_${i % 20}` : null,
    companies: {
      type: 'list',
      data: i % 4 === 0 ? [{ type: 'company', id: `co${i % 20}` }] : [],
      has_more: false,
    },
  }));
  const start = Math.floor(T0 / 1000) - 200 * DAY_S;
  const conversations = Array.from({ length: N }, (_, i) => {
    const created = start + i * 3_600;
    return {
      type: 'conversation',
      id: String(500_000 + i),
      title: null,
      created_at: created,
      updated_at: created + 600 + (i % 7) * 60,
      state: 'closed',
      open: false,
      source: {
        type: 'conversation',
        delivered_as: i % 25 === 0 ? 'admin_initiated' : 'customer_initiated',
        subject: '',
        body: `<p>Question number ${i}: how do I import our customers from a CSV file?</p>`,
        author: { type: 'user', id: `ct${i % 400}` },
      },
      contacts: {
        type: 'contact.list',
        contacts: [{ type: 'contact', id: `ct${i % 400}`, external_id: null }],
      },
      tags: { type: 'tag.list', tags: [] },
      custom_attributes: {},
    };
  });
  return { companies, contacts, conversations };
}

function connector(fetchImpl: typeof fetch = fetch): Connector {
  const sleep = async (ms: number) => {
    clock.now += ms;
  };
  return createIntercomConnector({
    connectionId: 'ic',
    settings: { baseUrl: simulator.baseUrl, appId: 'sim', tickets: false },
    credentials: { token: TOKEN },
    logger: silentLogger(),
    fetch: fetchImpl,
    sleep,
    now: () => clock.now,
    budget: createMemoryBudget({ windowMs: 10_000, now: () => clock.now, sleep }),
  });
}

const deps = (c: Connector) => ({
  store,
  logger: silentLogger(),
  now: () => clock.now,
  openConnector: () => c,
  progress: () => {},
});

function storedRows(): Array<{ ticket_id: string; status: string; outbound: number }> {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    return db
      .prepare("SELECT ticket_id, status, outbound FROM tickets WHERE source = 'intercom'")
      .all() as never;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  clock.now = T0;
  dir = mkdtempSync(join(tmpdir(), 'zt-ic-sync-'));
  store = await openSqliteStore({ file: join(dir, 'zt.db') });
  await store.saveConnection(
    {
      id: 'ic',
      kind: 'intercom',
      settings: { since: new Date(T0 - 365 * DAY_S * 1000).toISOString() },
      secret: 'x',
    },
    T0,
  );
  // 10 requests per 10-second window: the budget has to pace the whole sync.
  simulator = await startIntercomSimulator({
    ...workspace(),
    token: TOKEN,
    clock: () => clock.now,
    rateLimitPerWindow: 10,
  });
});

afterEach(async () => {
  await simulator.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a long Intercom sync', () => {
  it('survives a crash mid-run: resumes after the last committed page, loses and duplicates nothing', async () => {
    const runStart = Math.floor(T0 / 1000);
    let searches = 0;
    // The process "dies" on the fourth search page; before that, teammates close two
    // conversations the run has already read and reopen one it has not reached yet.
    const crashing: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/conversations/search')) {
        searches += 1;
        if (searches === 3) {
          clock.now += 5_000;
          simulator.updateConversation('500010', { state: 'open', open: true });
          simulator.updateConversation('500200', { state: 'snoozed' });
          simulator.updateConversation('500990', { state: 'open', open: true });
        }
        if (searches >= 4) throw new TypeError('fetch failed: socket hang up');
      }
      return fetch(input, init);
    };
    await expect(syncConnection(deps(connector(crashing)), { connectionId: 'ic' })).rejects.toThrow(
      /network error/,
    );

    const afterCrash = decodeCursor((await store.getCursor('ic', 'tickets'))!);
    expect(afterCrash.run).toMatchObject({ started_at: runStart, stream: 'conversations' });
    expect(afterCrash.run?.starting_after).not.toBeNull();
    expect(storedRows()).toHaveLength(450);

    const resumedFrom = simulator.requests.length;
    const resumed = await syncConnection(deps(connector()), { connectionId: 'ic' });
    const firstSearch = simulator.requests.slice(resumedFrom).find((r) => r.path === '/conversations/search');
    expect(firstSearch?.body).toMatchObject({
      pagination: { starting_after: afterCrash.run?.starting_after },
    });
    expect(resumed.quarantined).toBe(0);
    // The resumed run still ends at the first run's start: changes made since are next run's.
    expect(decodeCursor((await store.getCursor('ic', 'tickets'))!)).toEqual({
      v: 1,
      watermark: runStart,
      run: null,
    });

    await syncConnection(deps(connector()), { connectionId: 'ic' });
    const rows = storedRows();
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(N);
    const status = new Map(rows.map((r) => [r.ticket_id, r.status]));
    expect([status.get('500010'), status.get('500200'), status.get('500990'), status.get('500011')]).toEqual([
      'open',
      'snoozed',
      'open',
      'closed',
    ]);
    expect(rows.filter((r) => r.outbound === 1)).toHaveLength(N / 25);

    // Paced from the headers: not one 429, though the workspace allows 10 requests per 10 s.
    expect(simulator.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(simulator.requests.every((r) => r.version === '2.14')).toBe(true);
  });

  it('paces a backfill near the limit: full windows, never more than the limit, no 429', async () => {
    await syncConnection(deps(connector()), { connectionId: 'ic' });
    const perWindow = new Map<number, number>();
    for (const r of simulator.requests) {
      const window = Math.floor(r.at / 10_000);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    const total = simulator.requests.length;
    expect(simulator.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
    // Every window but the last is used to the full: the budget waits only when the window is spent.
    expect(perWindow.size).toBe(Math.ceil(total / 10));
  });

  it('keeps going through injected 5xx and 429 faults and quarantines a broken conversation', async () => {
    simulator.inject({ kind: 'status', status: 503, times: 2, path: '/conversations/search' });
    simulator.inject({ kind: 'rate-limit', retryAfterSeconds: 4, path: '/contacts/search' });
    simulator.inject({ kind: 'bad-ticket', path: '/conversations/search' });
    const result = await syncConnection(deps(connector()), { connectionId: 'ic' });
    expect(result).toMatchObject({ tickets: N - 1, quarantined: 1 });
    expect(storedRows()).toHaveLength(N - 1);
    const statuses = simulator.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});
