import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../connectors/intercom/cursor.js';
import { createIntercomConnector, OVERLAP_SECONDS } from '../../../connectors/intercom/index.js';
import { RateLimitedError, TransientError } from '../../../src/errors.js';
import {
  collect,
  context,
  fixtureText,
  JSON_HEADERS,
  NOW,
  NOW_S,
  ORIGIN,
  REQ_HEADERS,
  searchBody,
  useNock,
} from './nock-setup.js';

useNock();

const CURSOR = encodeCursor({ v: 1, watermark: NOW_S - 60, run: null });
const SINCE = NOW_S - 60 - OVERLAP_SECONDS;
const noTickets = { region: 'us', appId: 'abc1def2', tickets: false };
const limited = (remaining: number, resetS: number, extra: Record<string, string> = {}) => ({
  ...JSON_HEADERS,
  'X-RateLimit-Limit': '167',
  'X-RateLimit-Remaining': String(remaining),
  'X-RateLimit-Reset': String(resetS),
  ...extra,
});
const RATE_ERROR = {
  type: 'error.list',
  errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 167 in 10_seconds' }],
};

async function pullOnce(overrides = {}) {
  const setup = context({ settings: noTickets, ...overrides });
  const pages = await collect(createIntercomConnector(setup.ctx).pullChanges(CURSOR, { since: 0 }));
  return { ...setup, pages };
}

describe('rate limits', () => {
  it('waits until X-RateLimit-Reset after a 429 without Retry-After, then retries', async () => {
    const setup = context({ settings: noTickets });
    const sentAt: number[] = [];
    const at = (status: number, body: string | object, headers: Record<string, string>) => () => {
      sentAt.push(setup.clock.now);
      return [status, body, headers] as const;
    };
    // Intercom's windows are 10 s long and end on multiples of 10 s (rest-api/errors/rate-limiting).
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .post('/conversations/search', searchBody(SINCE))
      .reply(at(429, RATE_ERROR, limited(0, NOW_S + 10)))
      .post('/conversations/search', searchBody(SINCE))
      .reply(at(200, fixtureText('conversations-search-empty'), limited(166, NOW_S + 20)));
    const pages = await collect(createIntercomConnector(setup.ctx).pullChanges(CURSOR, { since: 0 }));
    scope.done();
    expect(pages).toHaveLength(1);
    expect(sentAt).toEqual([NOW, NOW + 10_000]);
    expect(setup.waits).toEqual([10_000]);
  });

  it('honours Retry-After on a 429 and blocks the workspace in the shared budget meanwhile', async () => {
    const scope = nock(ORIGIN)
      .post('/conversations/search')
      .reply(429, RATE_ERROR, { ...JSON_HEADERS, 'Retry-After': '3' })
      .post('/conversations/search')
      .reply(200, fixtureText('conversations-search-empty'), limited(166, NOW_S + 10));
    const setup = context({ settings: noTickets });
    const blocks: Array<[string, number]> = [];
    const budget = setup.budget;
    setup.ctx.budget = {
      ...budget,
      block: (key, until) => {
        blocks.push([key, until]);
        return budget.block(key, until);
      },
    };
    await collect(createIntercomConnector(setup.ctx).pullChanges(CURSOR, { since: 0 }));
    scope.done();
    expect(setup.waits).toEqual([3_000]);
    // Keyed by the workspace (its app id), so every worker and connection on it holds off.
    expect(blocks).toEqual([['intercom:abc1def2', NOW + 3_000]]);
  });

  it('gives up with RateLimitedError when Intercom asks for a longer wait than it will sleep', async () => {
    nock(ORIGIN)
      .post('/conversations/search')
      .reply(429, RATE_ERROR, limited(0, NOW_S + 600, { 'Retry-After': '600' }));
    const error = await pullOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(600_000);
  });

  it('paces from the headers: with the window spent it holds the next request until the reset', async () => {
    const setup = context({ settings: noTickets });
    const sentAt: number[] = [];
    const at = (body: string, headers: Record<string, string>) => () => {
      sentAt.push(setup.clock.now);
      return [200, body, headers] as const;
    };
    const scope = nock(ORIGIN)
      .post('/conversations/search')
      .reply(at(fixtureText('conversations-search-page1'), limited(0, NOW_S + 10)))
      .post('/contacts/search')
      .reply(at(fixtureText('contacts-search-page1'), limited(166, NOW_S + 20)))
      .get(/\/companies\//)
      .reply(at(fixtureText('company-acme'), limited(165, NOW_S + 20)))
      .post('/conversations/search')
      .reply(at(fixtureText('conversations-search-empty'), limited(164, NOW_S + 20)));
    const pages = await collect(createIntercomConnector(setup.ctx).pullChanges(CURSOR, { since: 0 }));
    scope.done();
    expect(pages).toHaveLength(2);
    // No 429 was needed: the budget held the contacts lookup until the window reset.
    expect(sentAt).toEqual([NOW, NOW + 10_000, NOW + 10_000, NOW + 10_000]);
  });

  it('backs off with jitter on 5xx and goes on', async () => {
    const scope = nock(ORIGIN)
      .post('/conversations/search')
      .reply(503, 'upstream unavailable')
      .post('/conversations/search')
      .reply(500, { type: 'error.list', errors: [{ code: 'server_error', message: 'boom' }] })
      .post('/conversations/search')
      .reply(200, fixtureText('conversations-search-empty'), JSON_HEADERS);
    const { pages, waits } = await pullOnce();
    scope.done();
    expect(pages).toHaveLength(1);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(500);
    expect(waits[1]).toBeLessThan(1_000);
  });

  it('fails with TransientError after five 5xx answers, sending no sixth request', async () => {
    const scope = nock(ORIGIN).post('/conversations/search').times(5).reply(502, 'bad gateway');
    const error = await pullOnce().catch((e: unknown) => e);
    scope.done();
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/HTTP 502 after 5 attempts/);
  });
});
