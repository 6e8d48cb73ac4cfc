import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ConnectorPage } from '../../connectors/connector.js';
import { UnreadablePagesError } from '../../src/errors.js';
import { syncConnection } from '../../src/jobs/handlers/sync-connection.js';
import { silentLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { DAY, T0, ticket, user } from '../store/fixtures.js';

// The connector is a scripted stand-in for a helpdesk (its HTTP side is tested in
// test/connectors); the store is a real SQLite file.
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-sync-'));
  store = await openSqliteStore({ file: join(dir, 'zt.db') });
  await store.saveConnection({ id: 'zd', kind: 'zendesk', settings: {}, secret: 'x' }, T0);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function scripted(pages: ConnectorPage[]): Connector & { cursors: Array<string | null> } {
  const cursors: Array<string | null> = [];
  return {
    kind: 'zendesk',
    connectionId: 'zd',
    cursors,
    verify: () => Promise.resolve({ account: 'x', actingAs: 'y', rateLimit: null }),
    async *pullChanges(cursor) {
      cursors.push(cursor);
      const start = cursor === null ? 0 : Number(cursor);
      for (const p of pages.slice(start)) yield p;
    },
  };
}

const emptyPage = (cursor: string): ConnectorPage => ({
  stream: 'tickets',
  cursor,
  tickets: [],
  users: [],
  organizations: [],
  quarantined: [],
});

function deps(connector: Connector) {
  return {
    store,
    logger: silentLogger(),
    now: () => T0,
    openConnector: () => connector,
    progress: () => {},
  };
}

async function storedTicket(ticketId: string) {
  const pending = await store.listPendingTickets(100);
  return pending.find((p) => p.ticket.ticketId === ticketId)?.ticket;
}

describe('syncConnection', () => {
  it('fills a requester missing from a page from the users earlier pages stored', async () => {
    const connector = scripted([
      {
        ...emptyPage('1'),
        users: [
          user('u-1', { email: 'ana@acme.test', externalId: 'acme-ana' }),
          user('u-2', { email: 'agent@us.test', role: 'staff' }),
        ],
      },
      {
        ...emptyPage('2'),
        tickets: [ticket('10', { requester: { id: 'u-1' } }), ticket('11', { requester: { id: 'u-2' } })],
      },
    ]);
    const result = await syncConnection(deps(connector), { connectionId: 'zd' });
    expect(result).toMatchObject({ pages: 2, tickets: 2, quarantined: 0 });

    const fromCustomer = await storedTicket('10');
    expect(fromCustomer?.requester).toMatchObject({ email: 'ana@acme.test', externalId: 'acme-ana' });
    expect(fromCustomer?.outbound).toBe(false);
    // A staff member's ticket stays outbound even when the page did not sideload them.
    expect((await storedTicket('11'))?.outbound).toBe(true);
  });

  it('resumes from the last committed page', async () => {
    const pages = [emptyPage('1'), { ...emptyPage('2'), tickets: [ticket('20')] }];
    await syncConnection(deps(scripted(pages.slice(0, 1))), { connectionId: 'zd' });
    expect(await store.getCursor('zd', 'tickets')).toBe('1');

    const second = scripted(pages);
    const result = await syncConnection(deps(second), { connectionId: 'zd' });
    expect(second.cursors).toEqual(['1']);
    expect(result.tickets).toBe(1);
    expect(await store.getCursor('zd', 'tickets')).toBe('2');
  });

  it('stores the pages a connector gave up on, keeps the cursor, and still fails', async () => {
    const unreadable = [
      {
        connectionId: 'zd',
        source: 'zendesk' as const,
        kind: 'page',
        externalId: null,
        payload: '<html>',
        error: 'not JSON',
      },
      {
        connectionId: 'zd',
        source: 'zendesk' as const,
        kind: 'page',
        externalId: null,
        payload: '{}',
        error: 'no tickets',
      },
    ];
    const failing: Connector = {
      ...scripted([]),
      async *pullChanges() {
        yield { ...emptyPage('1'), tickets: [ticket('30')] };
        throw new UnreadablePagesError('export page is not JSON', unreadable);
      },
    };
    await expect(syncConnection(deps(failing), { connectionId: 'zd' })).rejects.toThrow(
      'export page is not JSON',
    );
    expect(await store.countQuarantined()).toBe(2);
    expect(await store.getCursor('zd', 'tickets')).toBe('1');
    expect((await store.getConnection('zd'))?.lastSyncAt).toBeNull();
  });

  it('refuses an unknown connection with a permanent error', async () => {
    await expect(syncConnection(deps(scripted([])), { connectionId: 'nope' })).rejects.toThrow(
      /no connection "nope"/,
    );
  });

  it('starts a first sync at the earliest milestone, and skips looking it up once there is a cursor', async () => {
    await store.upsertMilestones([{ customerId: 'acme', milestone: 'signed_up', occurredAt: T0 - 30 * DAY }]);
    const seen: number[] = [];
    let lookups = 0;
    const watched = new Proxy(store, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        if (name === 'earliestMilestoneAt') lookups += 1;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const connector = scripted([emptyPage('1')]);
    const recording: Connector = {
      ...connector,
      pullChanges: (cursor, options) => {
        seen.push(options.since);
        return connector.pullChanges(cursor, options);
      },
    };
    const run = () => syncConnection({ ...deps(recording), store: watched }, { connectionId: 'zd' });
    await run();
    expect(seen).toEqual([T0 - 30 * DAY]);
    expect(lookups).toBe(1);
    await run();
    expect(connector.cursors).toEqual([null, '1']);
    expect(lookups).toBe(1);
  });
});
