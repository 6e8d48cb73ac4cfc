import { afterEach, describe, expect, it } from 'vitest';
import { decodeCursor } from '../../../connectors/zendesk/cursor.js';
import { TransientError } from '../../../src/errors.js';
import { ALL_IDS, COMPANY, crashingOnCommit, type Harness, startHarness } from './sim-harness.js';

// The real connector, the simulated Zendesk (rate limit and faults on) and the real sync
// handler committing into a real SQLite file, on one fake clock.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const exportRequests = (harness: Harness) =>
  harness.sim.requests.filter((r) => r.path.includes('/incremental/'));
const storedIds = (harness: Harness) => harness.rows().map((r) => String(r.ticket_id));

describe('syncing a Zendesk account that misbehaves', () => {
  it('resumes after a crash mid-backfill with no ticket lost or duplicated', async () => {
    h = await startHarness();
    await expect(h.sync(crashingOnCommit(h.store, 4))).rejects.toThrow('killed mid-backfill');
    const cursorAfterCrash = await h.store.getCursor('zd', 'tickets');
    expect(cursorAfterCrash).not.toBeNull();
    const servedBeforeRestart = exportRequests(h).length;

    const resumed = await h.sync();

    const ids = storedIds(h);
    expect(ids).toEqual(ALL_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    // The restart asked for the page after the last committed one: exactly one page re-read.
    const restart = exportRequests(h)[servedBeforeRestart]!;
    expect(restart.query.cursor).toBe(decodeCursor(cursorAfterCrash!).after_cursor);
    expect(resumed.tickets + 3 * 25).toBeLessThanOrEqual(ALL_IDS.length + 25);
  });

  it('survives a 429 storm, every wait at least Retry-After, and never trips the real limit', async () => {
    h = await startHarness({
      pageSize: 10,
      faults: [{ kind: 'rate-limit', retryAfterSeconds: 17, times: 4, path: '/incremental/' }],
    });
    await h.sync();

    expect(storedIds(h)).toEqual(ALL_IDS);
    const served = h.sim.requests;
    const limited = served.filter((r) => r.status === 429);
    expect(limited.map((r) => r.retryAfter)).toEqual([17, 17, 17, 17]);
    for (const r of limited) {
      const next = served[served.indexOf(r) + 1]!;
      expect(next.at - r.at).toBeGreaterThanOrEqual(17_000);
    }
    // More than ten export pages at 10/min: the budget paced them into later minutes.
    const pages = exportRequests(h).filter((r) => r.status === 200);
    expect(pages.length).toBeGreaterThan(10);
    const perMinute = new Map<number, number>();
    for (const r of pages)
      perMinute.set(Math.floor(r.at / 60_000), (perMinute.get(Math.floor(r.at / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(10);
  });

  it('backs off on 5xx and then succeeds', async () => {
    h = await startHarness({ faults: [{ kind: 'status', status: 503, times: 3, path: '/incremental/' }] });
    await h.sync();
    expect(storedIds(h)).toEqual(ALL_IDS);
    expect(h.sim.requests.slice(0, 4).map((r) => r.status)).toEqual([503, 503, 503, 200]);
    // Full jitter: each backoff is below its exponential cap (500 ms, 1 s, 2 s).
    const backoffs = h.waits.slice(0, 3);
    expect(backoffs.map((ms, i) => ms < 500 * 2 ** i)).toEqual([true, true, true]);
  });

  it('gives up loudly on a lasting outage and keeps the cursor', async () => {
    h = await startHarness();
    await h.sync();
    const cursor = await h.store.getCursor('zd', 'tickets');
    h.sim.updateTicket(COMPANY.zendesk.tickets[0]!.id, { status: 'solved' });
    h.clock.now += 120_000;
    h.sim.inject({ kind: 'status', status: 500, times: 50, path: '/incremental/' });
    await expect(h.sync()).rejects.toBeInstanceOf(TransientError);
    expect(await h.store.getCursor('zd', 'tickets')).toBe(cursor);
  });

  it('quarantines a malformed page and a malformed ticket, and the sync goes on', async () => {
    h = await startHarness({
      faults: [
        { kind: 'malformed', times: 1, path: '/incremental/' },
        { kind: 'bad-ticket', times: 1, path: '/incremental/' },
        { kind: 'duplicate', times: 3, path: '/incremental/' },
      ],
    });
    const result = await h.sync();
    expect(result.quarantined).toBe(2);
    expect(await h.store.countQuarantined()).toBe(2);
    // The one ticket that lost its requester_id is in quarantine, every other one is stored once.
    const ids = storedIds(h);
    expect(ids).toHaveLength(ALL_IDS.length - 1);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks deleted, spam and merged tickets, erasing none', async () => {
    h = await startHarness();
    const [deleted, spam, merged, survivor] = COMPANY.zendesk.tickets.map((t) => t.id);
    h.sim.deleteTicket(deleted!);
    h.sim.deleteTicket(spam!, { spam: true });
    h.sim.mergeTicket(merged!, survivor!);
    h.clock.now += 120_000;
    await h.sync();

    const byId = new Map(h.rows().map((r) => [String(r.ticket_id), r]));
    expect(byId.size).toBe(ALL_IDS.length);
    const flags = (id: number | undefined) => {
      const row = byId.get(String(id))!;
      return { status: row.status, deleted: row.deleted, merged: row.merged };
    };
    expect(flags(deleted)).toEqual({ status: 'deleted', deleted: 1, merged: 0 });
    expect(flags(spam)).toEqual({ status: 'deleted', deleted: 1, merged: 0 });
    expect(flags(merged)).toMatchObject({ status: 'closed', deleted: 0, merged: 1 });
    expect(flags(survivor)).toMatchObject({ deleted: 0, merged: 0 });
  });

  it('never writes the token to a log line, whatever goes wrong', async () => {
    h = await startHarness({
      faults: [
        { kind: 'rate-limit', retryAfterSeconds: 3, times: 2 },
        { kind: 'status', status: 502, times: 2 },
        { kind: 'malformed', times: 1, path: '/incremental/' },
      ],
    });
    await h.connector().verify();
    await h.sync();
    h.sim.inject({ kind: 'status', status: 500, times: 50 });
    await h
      .connector()
      .verify()
      .catch(() => {});
    h.logger.info({ credentials: { token: 'x' } }, 'a careless line');

    const lines = h.logLines.join('\n');
    expect(h.logLines.length).toBeGreaterThan(5);
    expect(lines).not.toContain('zd-secret-token-5f3a9c');
    expect(lines).not.toContain(
      Buffer.from('sam@fieldnote.app/token:zd-secret-token-5f3a9c').toString('base64'),
    );
    expect(lines).not.toContain('whsec-simulated-6b1d');
  });
});
