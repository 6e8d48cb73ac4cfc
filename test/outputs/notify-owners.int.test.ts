import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.js';
import { type NotifyOwnersDeps, notifyOwners } from '../../src/jobs/handlers/notify-owners.js';
import { publishDigest } from '../../src/jobs/handlers/publish-digest.js';
import { silentLogger } from '../../src/logger.js';
import { createSlackPoster, type SlackPoster } from '../../src/outputs/slack.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { page, ticket } from '../store/fixtures.js';
import { DAY, HOUR, NOW, REASONS, seedCompany } from './seed.js';
import {
  API_ORIGIN,
  API_URL,
  BOT_TOKEN,
  fakeSleep,
  formBody,
  OK_JSON,
  useSlackNock,
  WEBHOOK_URL,
} from './slack-nock.js';

useSlackNock();

const dialects: Array<[string, () => Promise<{ store: Store; close(): Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zt-notes-'));
      const store = await openSqliteStore({ file: join(dir, 'zt.db') });
      return {
        store,
        close: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = await createTestSchema();
      const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.schema });
      return {
        store,
        close: async () => {
          await store.close();
          await schema.drop();
        },
      };
    },
  ],
];

const bot = (): SlackPoster => {
  const poster = createSlackPoster({
    webhookUrl: undefined,
    botToken: BOT_TOKEN,
    channel: 'C0DIGEST',
    slackApiUrl: API_URL,
    sleep: fakeSleep().sleep,
    retry: { random: () => 0 },
  });
  if (!poster) throw new Error('expected a poster');
  return poster;
};

/** Fakes Slack's Web API: a DM channel per user, and every message recorded. */
function fakeSlack(options: { failFor?: string; dms?: boolean } = {}) {
  const posts: Array<Record<string, unknown>> = [];
  const scope = nock(API_ORIGIN).persist();
  if (options.dms !== false) {
    scope
      .post('/api/conversations.open')
      .reply(200, (_uri, body) => ({ ok: true, channel: { id: `D_${formBody(body).users}` } }), OK_JSON);
  }
  scope.post('/api/chat.postMessage').reply((_uri, body) => {
    const fields = formBody(body);
    if (options.failFor && fields.channel === `D_${options.failFor}`) return [500, 'oops'];
    posts.push(fields);
    return [200, { ok: true, ts: `${posts.length}.000` }, OK_JSON];
  });
  return { posts };
}

/** Which tickets each message lists, by recipient channel. */
function ticketsByChannel(posts: Array<Record<string, unknown>>): Record<string, string[]> {
  return Object.fromEntries(
    posts.map((p) => [
      String(p.channel),
      [...JSON.stringify(p.blocks).matchAll(/agent\/tickets\/(\d+)/g)].map((m) => m[1] ?? ''),
    ]),
  );
}

describe.each(dialects)('notifyOwners (%s)', (_name, open) => {
  let h: { store: Store; close(): Promise<void> };
  let now = NOW;
  const deps = (over: Partial<NotifyOwnersDeps> = {}): NotifyOwnersDeps => ({
    store: h.store,
    logger: silentLogger(),
    now: () => now,
    reasons: REASONS,
    timezone: 'UTC',
    slack: bot(),
    ownerNotes: { enabled: true, mode: 'dm' },
    out: () => {},
    ...over,
  });
  beforeEach(async () => {
    h = await open();
    await seedCompany(h.store);
    now = NOW;
  });
  afterEach(async () => {
    await h.close();
  });

  it('DMs each owner their reasons’ new tickets once a day, then only what is new since', async () => {
    const slack = fakeSlack();
    expect(await notifyOwners(deps(), { dryRun: false })).toEqual({ outcome: 'sent', sent: 2, skipped: 0 });
    // Billing's #1 is 20 days old: in the trend, not new. The unclassified #4 goes to nobody.
    expect(ticketsByChannel(slack.posts)).toEqual({ D_U_AUTH_OWNER: ['3'], D_U_BILLING_OWNER: ['2'] });
    const billing = JSON.stringify(slack.posts.find((p) => p.channel === 'D_U_BILLING_OWNER')?.blocks);
    expect(billing).toContain('<https://acme.zendesk.com/agent/tickets/2|#2> Charged twice — Globex');
    expect(billing).toContain('4-week trend (counting tickets per week, oldest first): 0 → 1 → 0 → 1');
    expect(billing).toContain('Customers affected (28 days): Globex (2)');

    // A retried job the same day sends nothing.
    expect(await notifyOwners(deps(), { dryRun: false })).toEqual({ outcome: 'sent', sent: 0, skipped: 0 });
    expect(slack.posts).toHaveLength(2);

    // The next day: one new billing ticket; login has nothing new, so its owner gets no note.
    now = NOW + DAY;
    await h.store.commitSyncPage(
      page({ tickets: [ticket('5', { createdAt: NOW + 2 * HOUR })], cursor: 'c2' }),
    );
    await h.store.saveTicketResults([
      {
        source: 'zendesk',
        ticketId: '5',
        customerId: 'initech',
        linkMethod: 'email',
        classification: { reasonId: 'how_to', confidence: 1, classifiedBy: 'tag', detail: 'tag:how_to' },
      },
    ]);
    slack.posts.length = 0;
    expect(await notifyOwners(deps(), { dryRun: false })).toEqual({ outcome: 'sent', sent: 1, skipped: 0 });
    expect(ticketsByChannel(slack.posts)).toEqual({ D_U_BILLING_OWNER: ['5'] });
    expect(JSON.stringify(slack.posts[0]?.blocks)).toContain(
      '*How-to question* — 1 new since 2026-11-24 12:00 UTC',
    );
  });

  it('replies in the thread of today’s digest, mentioning each owner', async () => {
    const slack = fakeSlack({ dms: false });
    await publishDigest({ ...deps(), out: () => {} }, { dryRun: false });
    expect(
      await notifyOwners(deps({ ownerNotes: { enabled: true, mode: 'thread' } }), { dryRun: false }),
    ).toMatchObject({ sent: 2 });
    const [digest, ...notes] = slack.posts;
    expect(digest?.channel).toBe('C0DIGEST');
    expect(notes.map((n) => [n.channel, n.thread_ts])).toEqual([
      ['C0DIGEST', '1.000'],
      ['C0DIGEST', '1.000'],
    ]);
    expect(notes.map((n) => JSON.stringify(n.blocks).match(/<@(U_[A-Z_]+)>/)?.[1])).toEqual([
      'U_AUTH_OWNER',
      'U_BILLING_OWNER',
    ]);
  });

  it('a failed note is reported and retried alone; the others are sent', async () => {
    const failing = fakeSlack({ failFor: 'U_AUTH_OWNER' });
    await expect(notifyOwners(deps(), { dryRun: false })).rejects.toThrow(TransientError);
    expect(Object.keys(ticketsByChannel(failing.posts))).toEqual(['D_U_BILLING_OWNER']);
    nock.cleanAll();

    const healthy = fakeSlack();
    expect(await notifyOwners(deps(), { dryRun: false })).toEqual({ outcome: 'sent', sent: 1, skipped: 0 });
    expect(Object.keys(ticketsByChannel(healthy.posts))).toEqual(['D_U_AUTH_OWNER']);
  });

  it('two workers notifying at once send each owner one note', async () => {
    const slack = fakeSlack();
    const results = await Promise.all([
      notifyOwners(deps(), { dryRun: false }),
      notifyOwners(deps(), { dryRun: false }),
    ]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(2);
    expect(slack.posts.map((p) => p.channel).sort()).toEqual(['D_U_AUTH_OWNER', 'D_U_BILLING_OWNER']);
  });

  it('sends nothing when turned off, or with only a webhook', async () => {
    const webhook = createSlackPoster({ webhookUrl: WEBHOOK_URL, botToken: undefined, channel: null });
    expect(await notifyOwners(deps({ slack: webhook }), { dryRun: false })).toMatchObject({
      outcome: 'no_bot',
    });
    expect(
      await notifyOwners(deps({ ownerNotes: { enabled: false, mode: 'dm' } }), { dryRun: false }),
    ).toMatchObject({
      outcome: 'off',
    });
  });
});
