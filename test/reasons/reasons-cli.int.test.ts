import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { runCli } from '../helpers/cli.js';
import { TEST_REDIS_URL } from '../helpers/services.js';
import { DAY, page, T0, ticket } from '../store/fixtures.js';
import { simulatedTickets } from './simulator-labels.js';

let dir = '';
let env: Record<string, string>;
const NOW = T0 + 3 * DAY;
const cli = (...args: string[]) => runCli(['reasons', ...args], { env, cwd: dir, now: () => NOW });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-reasons-cli-'));
  copyFileSync('zerotickets.config.example.yaml', join(dir, 'zerotickets.config.yaml'));
  env = { DATABASE_URL: `file:${join(dir, 'zt.db')}`, LOG_LEVEL: 'silent' };
  const store = await openStore(env.DATABASE_URL as string);
  await store.upsertCustomers([{ id: 'acme', name: 'Acme', emails: ['ana@acme.test'], domains: [] }]);
  await store.upsertMilestones([
    { customerId: 'acme', milestone: 'signed_up', occurredAt: T0 - 5 * DAY },
    { customerId: 'acme', milestone: 'connected_data', occurredAt: T0 - 2 * DAY },
  ]);
  const requester = { email: 'ana@acme.test' };
  await store.commitSyncPage(
    page({
      tickets: [
        ticket('1161', {
          subject: 'Weird totals',
          text: 'Weird totals on the dashboard',
          tags: [],
          fields: {},
          requester,
        }),
        ticket('1162', {
          subject: 'Refund',
          text: 'Please refund me',
          tags: [],
          fields: {},
          requester,
          createdAt: T0 + DAY,
        }),
      ],
    }),
  );
  await store.close();
  // Tickets as they are before anyone looked at them.
  expect(
    (await runCli(['run', '--once', '--dry-run', '--json'], { env, cwd: dir, now: () => NOW })).code,
  ).toBe(0);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('zerotickets reasons', () => {
  it('set records a correction, applies it at once, and the owner sees it move', async () => {
    const before = JSON.parse((await cli('--json')).stdout);
    expect(before.reasons.find((r: { reasonId: string }) => r.reasonId === 'unclassified')).toMatchObject({
      thisWeek: 1,
    });

    const set = await cli('set', 'zendesk/1161', 'bug_report', '--author', 'ana');
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toMatch(/zendesk\/1161: reason bug_report \(manual:ana\); applied/);

    const after = JSON.parse((await cli('--json')).stdout);
    const bug = after.reasons.find((r: { reasonId: string }) => r.reasonId === 'bug_report');
    expect(bug).toMatchObject({ owner: 'U_QUALITY_OWNER', unowned: false, thisWeek: 1, lostZero: 1 });
    expect(bug.topPhase).toEqual({ phase: 'connected_data', tickets: 1 });
    expect(after.reasons.find((r: { reasonId: string }) => r.reasonId === 'unclassified')).toMatchObject({
      thisWeek: 0,
    });

    const tickets = await cli('tickets', 'bug_report');
    expect(tickets.stdout).toMatch(/zendesk\/1161 .* manual:ana .* Weird totals/);

    const text = await cli();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/bug_report\s+U_QUALITY_OWNER\s+1\s+0\s+1\s+connected_data \(1\)/);
  });

  it.each([
    [['set', 'zendesk/9999', 'billing'], /zendesk\/9999 has not been synced/],
    [['set', 'zendesk/1161', 'nope'], /reason "nope" is not in the config/],
    [['set', '1161', 'billing'], /expected zendesk\/ID or intercom\/ID/],
  ])('%j fails with one line naming what is wrong', async (args, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('with REDIS_URL, set records the correction and queues link+classify for the workers', async () => {
    const prefix = `zt-reasons-${randomBytes(4).toString('hex')}`;
    const queued = await runCli(['reasons', 'set', 'zendesk/1161', 'how_to'], {
      env: { ...env, REDIS_URL: TEST_REDIS_URL, ZT_QUEUE_PREFIX: prefix },
      cwd: dir,
      now: () => NOW,
    });
    try {
      expect(queued.stderr).toBe('');
      expect(queued.stdout).toMatch(/zendesk\/1161: reason how_to \(manual:cli\); queued for the workers/);
      const queues = openQueues({ url: TEST_REDIS_URL, prefix }, silentLogger());
      try {
        expect((await queues['link-classify'].getJobs(['wait', 'prioritized'])).map((j) => j.name)).toEqual([
          'link-classify',
        ]);
      } finally {
        await closeQueues(queues);
      }
      // Recorded, not applied yet: the ticket still has its rule verdict until a worker runs.
      expect((await cli('tickets', 'unclassified')).stdout).toMatch(/zendesk\/1161/);
    } finally {
      const client = new Redis(TEST_REDIS_URL);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });

  it('unset gives the ticket back to the rules', async () => {
    await cli('set', 'zendesk/1162', 'cancellation');
    expect((await cli('tickets', 'cancellation')).stdout).toMatch(/zendesk\/1162/);
    expect((await cli('unset', 'zendesk/1162')).code).toBe(0);
    expect((await cli('tickets', 'billing')).stdout).toMatch(/zendesk\/1162 .* rule:keyword:refund/);
  });

  it('eval reports accuracy and per-reason precision/recall once there are labels; suggest prints candidates', async () => {
    const store = await openStore(env.DATABASE_URL as string);
    const simulated = simulatedTickets(300, 21).filter((t) => t.label !== 'none');
    await store.commitSyncPage(
      page({
        cursor: 'cursor-2',
        tickets: simulated.map((t) =>
          ticket(t.ticketId, {
            subject: t.subject,
            text: t.text,
            tags: [`zt_reason_${t.label}`],
            fields: {},
            createdAt: T0,
          }),
        ),
      }),
    );
    await store.close();
    expect(
      (await runCli(['run', '--once', '--dry-run', '--json'], { env, cwd: dir, now: () => NOW })).code,
    ).toBe(0);

    const evaluation = await cli('eval', '--json');
    expect(evaluation.code).toBe(0);
    const report = JSON.parse(evaluation.stdout);
    expect(report.heldOut).toBeGreaterThan(20);
    expect(report.model.accuracy).toBeGreaterThan(0.8);
    expect(report.model.perReason.map((r: { reasonId: string }) => r.reasonId)).toContain('data_import');
    expect((await cli('eval')).stdout).toMatch(/precision\s+recall/);

    const suggest = await cli('suggest', '--json');
    expect(suggest.code).toBe(0);
    expect(JSON.parse(suggest.stdout)).toMatchObject({ days: 28, unclassified: expect.any(Number) });
  });
});
