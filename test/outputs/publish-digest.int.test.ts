import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.js';
import { type DigestDeps, digestPostedKey, publishDigest } from '../../src/jobs/handlers/publish-digest.js';
import { silentLogger } from '../../src/logger.js';
import { buildDigest } from '../../src/outputs/digest.js';
import { renderDigestMessage } from '../../src/outputs/render-digest.js';
import { createSlackPoster, type SlackPoster } from '../../src/outputs/slack.js';
import { UncertainDeliveryError } from '../../src/outputs/slack-retry.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { NOW, REASONS, seedCompany } from './seed.js';
import { fakeSleep, useSlackNock, WEBHOOK_ORIGIN, WEBHOOK_PATH, WEBHOOK_URL } from './slack-nock.js';

useSlackNock();

/** Two connections to one database, as two workers have: each test gets a fresh one. */
interface Stores {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

const dialects: Array<[string, () => Promise<Stores>]> = [
  [
    'sqlite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zt-digest-'));
      const a = await openSqliteStore({ file: join(dir, 'zt.db') });
      const b = await openSqliteStore({ file: join(dir, 'zt.db') });
      return {
        a,
        b,
        close: async () => {
          await a.close();
          await b.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = await createTestSchema();
      const a = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.schema });
      const b = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.schema });
      return {
        a,
        b,
        close: async () => {
          await a.close();
          await b.close();
          await schema.drop();
        },
      };
    },
  ],
];

function webhookPoster(waits = fakeSleep()): SlackPoster {
  const poster = createSlackPoster({
    webhookUrl: WEBHOOK_URL,
    botToken: undefined,
    channel: null,
    sleep: waits.sleep,
    retry: { random: () => 0 },
  });
  if (!poster) throw new Error('expected a poster');
  return poster;
}

describe.each(dialects)('publishDigest (%s)', (_name, open) => {
  let stores: Stores;
  const printed: string[] = [];
  const deps = (store: Store, slack: SlackPoster | null = webhookPoster()): DigestDeps => ({
    store,
    logger: silentLogger(),
    now: () => NOW,
    reasons: REASONS,
    timezone: 'UTC',
    slack,
    dashboardUrl: 'https://zt.acme.test/',
    out: (text) => printed.push(text),
  });
  beforeEach(async () => {
    stores = await open();
    await seedCompany(stores.a);
    printed.length = 0;
  });
  afterEach(async () => {
    await stores.close();
  });

  it('posts the exact Block Kit payload once; a retried job does not post again', async () => {
    const expected = renderDigestMessage(
      await buildDigest({ ...deps(stores.a), dashboardUrl: 'https://zt.acme.test/' }, NOW),
    );
    let body: { text: string; blocks: unknown[] } | null = null;
    const scope = nock(WEBHOOK_ORIGIN)
      .post(WEBHOOK_PATH, (b) => {
        body = b;
        return true;
      })
      .once()
      .reply(200, 'ok');

    expect(await publishDigest(deps(stores.a), { dryRun: false })).toMatchObject({
      outcome: 'posted',
      day: '2026-11-24',
    });
    scope.done();
    expect(body).toEqual({ ...expected, unfurl_links: false });
    const text = JSON.stringify(body);
    expect(text).toContain('Last closed week (from 2026-11-16): *50.0%* (n=2), ▼ 50.0 pts');
    expect(text).toContain('Trailing 4 weeks: *66.7%* (n=3)');
    expect(text).toContain('Pending: 1 in progress · 0 in buffer · 0 stalled · 0 not started');
    expect(text).toContain('`████████████ 2` Billing and invoices · <@U_BILLING_OWNER>');
    expect(text).toContain('Data quality: 1 unlinked tickets · 1 unclassified tickets');
    expect(text).toContain('<https://zt.acme.test/|Open the dashboard>');

    // The job retried (the same worker or the other): no HTTP request at all.
    expect(await publishDigest(deps(stores.a), { dryRun: false })).toMatchObject({
      outcome: 'already_posted',
    });
    expect(await publishDigest(deps(stores.b), { dryRun: false })).toMatchObject({
      outcome: 'already_posted',
    });
    expect(await stores.a.getState(digestPostedKey(webhookPoster().channel, '2026-11-24'))).toBe(
      JSON.stringify({ ts: null, postedAt: NOW }),
    );
  });

  it('two workers publishing at once post once', async () => {
    const scope = nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).delay(50).once().reply(200, 'ok');
    const outcomes = await Promise.all([
      publishDigest(deps(stores.a), { dryRun: false }),
      publishDigest(deps(stores.b), { dryRun: false }),
    ]);
    scope.done();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['claimed_elsewhere', 'posted']);
  });

  it('a post Slack refused is retried, reported, and released so the next run posts', async () => {
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).times(4).reply(500, 'internal_error');
    const waits = fakeSleep();
    await expect(
      publishDigest(deps(stores.a, webhookPoster(waits)), { dryRun: false }),
    ).rejects.toBeInstanceOf(TransientError);
    expect(waits.waits).toHaveLength(3);

    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).once().reply(200, 'ok');
    expect(await publishDigest(deps(stores.b), { dryRun: false })).toMatchObject({ outcome: 'posted' });
  });

  it('a 429 waits for Retry-After and then posts once', async () => {
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).reply(429, 'rate_limited', { 'Retry-After': '30' });
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).once().reply(200, 'ok');
    const waits = fakeSleep();
    expect(await publishDigest(deps(stores.a, webhookPoster(waits)), { dryRun: false })).toMatchObject({
      outcome: 'posted',
    });
    expect(waits.waits).toEqual([30_000]);
  });

  it('a post that may have gone through keeps its claim: not reposted until forced', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(WEBHOOK_ORIGIN)
      .post(WEBHOOK_PATH)
      .replyWithError(new TypeError('fetch failed', { cause: reset }));
    await expect(publishDigest(deps(stores.a), { dryRun: false })).rejects.toBeInstanceOf(
      UncertainDeliveryError,
    );

    expect(await publishDigest(deps(stores.a), { dryRun: false })).toMatchObject({
      outcome: 'claimed_elsewhere',
    });

    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).once().reply(200, 'ok');
    expect(await publishDigest(deps(stores.a), { dryRun: false, force: true })).toMatchObject({
      outcome: 'posted',
    });
  });

  it('a dry run prints the readable text and the exact payload, and claims nothing', async () => {
    expect(await publishDigest(deps(stores.a), { dryRun: true })).toMatchObject({ outcome: 'printed' });
    const [preview] = printed;
    const expected = renderDigestMessage(await buildDigest({ ...deps(stores.a) }, NOW));
    expect(preview).toContain('Companies with zero support tickets\n═══');
    expect(preview).toContain('`████████████ 2` Billing and invoices · <@U_BILLING_OWNER>');
    expect(preview?.slice(preview.indexOf('{'))).toBe(JSON.stringify(expected, null, 2));
    expect(await stores.a.claimDigest(webhookPoster().channel, '2026-11-24', NOW)).toBe(true);
  });
});
