import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { ConnectorPage } from '../../../connectors/connector.js';
import { decodeCursor, encodeCursor } from '../../../connectors/zendesk/cursor.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { InvalidPayloadError, PermanentError } from '../../../src/errors.js';
import { fixture, fixtureText } from './fixtures.js';
import { BASIC, collect, context, JSON_HEADERS, NOW, ORIGIN, useNock } from './nock-setup.js';

useNock();

const EXPORT = '/api/v2/incremental/tickets/cursor.json';
const page1 = fixture<{ after_cursor: string }>('incremental-tickets-cursor-page1');
const page2 = fixture<{ after_cursor: string; tickets: Array<{ generated_timestamp: number }> }>(
  'incremental-tickets-cursor-page2-end',
);
const SINCE = Date.parse('2026-01-01T00:00:00Z');
const START = SINCE / 1000;

/** Replies with a recorded fixture and keeps the raw path+query the connector sent. */
function recording(seen: string[], name: string) {
  return (uri: string) => {
    seen.push(uri);
    return [200, fixtureText(name), JSON_HEADERS] as const;
  };
}

describe('pullChanges', () => {
  it('walks the cursor export from start_time to end_of_stream, one page per request', async () => {
    const seen: string[] = [];
    const scope = nock(ORIGIN, { reqheaders: { authorization: BASIC } })
      .get(EXPORT)
      .query({ start_time: String(START), include: 'users,organizations', per_page: '1000' })
      .reply(recording(seen, 'incremental-tickets-cursor-page1'))
      .get(EXPORT)
      .query({ cursor: page1.after_cursor, include: 'users,organizations', per_page: '1000' })
      .reply(recording(seen, 'incremental-tickets-cursor-page2-end'));

    const pages = await collect(createZendeskConnector(context().ctx).pullChanges(null, { since: SINCE }));

    scope.done();
    expect(seen).toEqual([
      `${EXPORT}?start_time=${START}&include=users,organizations&per_page=1000`,
      `${EXPORT}?cursor=${encodeURIComponent(page1.after_cursor)}&include=users,organizations&per_page=1000`,
    ]);
    expect(pages.map(({ stream, cursor, ...rest }) => rest)).toEqual([
      fixture('incremental-tickets-cursor-page1.expected'),
      fixture('incremental-tickets-cursor-page2-end.expected'),
    ]);
    expect(pages.map((p) => p.stream)).toEqual(['tickets', 'tickets']);
    const highWater = Math.max(...page2.tickets.map((t) => t.generated_timestamp));
    expect(decodeCursor(pages[1]!.cursor)).toEqual({
      v: 1,
      after_cursor: page2.after_cursor,
      start_time: null,
      high_water: highWater,
    });
  });

  it('resumes from a stored cursor with the cursor alone', async () => {
    const cursor = encodeCursor({ v: 1, after_cursor: page1.after_cursor, start_time: null, high_water: 1 });
    const scope = nock(ORIGIN, { reqheaders: { authorization: BASIC } })
      .get(EXPORT)
      .query({ cursor: page1.after_cursor, include: 'users,organizations', per_page: '1000' })
      .reply(200, fixtureText('incremental-tickets-cursor-page2-end'), JSON_HEADERS);
    const pages = await collect(createZendeskConnector(context().ctx).pullChanges(cursor, { since: 0 }));
    scope.done();
    expect(pages).toHaveLength(1);
    expect(pages[0]!.tickets.map((t) => t.ticketId)).toEqual(['1170', '1171', '1172', '1173', '1174']);
  });

  it.each([
    ['a since in the future', NOW + 3_600_000],
    ['a since inside the last minute', NOW - 10_000],
  ])('clamps start_time to a minute ago for %s', async (_case, since) => {
    const start = Math.floor(NOW / 1000) - 60;
    const scope = nock(ORIGIN)
      .get(EXPORT)
      .query({ start_time: String(start), include: 'users,organizations', per_page: '1000' })
      .reply(200, { tickets: [], after_cursor: null, after_url: null, end_of_stream: true }, JSON_HEADERS);
    const pages = await collect(createZendeskConnector(context().ctx).pullChanges(null, { since }));
    scope.done();
    // No after_cursor yet: the cursor keeps the start_time, so the next sync starts there again.
    expect(decodeCursor(pages[0]!.cursor)).toEqual({
      v: 1,
      after_cursor: null,
      start_time: start,
      high_water: null,
    });
  });

  it('quarantines the ticket missing requester_id and maps the rest of the page', async () => {
    nock(ORIGIN)
      .get(EXPORT)
      .query(true)
      .reply(200, fixtureText('incremental-tickets-cursor-missing-requester'), JSON_HEADERS);
    const [page] = await collect(createZendeskConnector(context().ctx).pullChanges(null, { since: SINCE }));
    expect(page!.tickets.map((t) => t.ticketId)).toEqual(['1180', '1182']);
    expect(page!.quarantined.map((q) => [q.kind, q.externalId])).toEqual([['ticket', '1181']]);
    expect(page!.quarantined[0]!.error).toContain('requester_id');
  });

  it('waits Retry-After on a 429 and goes on', async () => {
    nock(ORIGIN)
      .get(EXPORT)
      .query(true)
      .reply(429, { error: 'TooManyRequests' }, { 'Retry-After': '13', ...JSON_HEADERS })
      .get(EXPORT)
      .query(true)
      .reply(200, fixtureText('incremental-tickets-cursor-page2-end'), JSON_HEADERS);
    const { ctx, waits } = context();
    const pages = await collect(createZendeskConnector(ctx).pullChanges(null, { since: SINCE }));
    expect(waits).toEqual([13_000]);
    expect(pages).toHaveLength(1);
  });

  it.each([
    ['not JSON', '<html>Zendesk is down for maintenance</html>'],
    ['no tickets array', JSON.stringify({ end_of_stream: true, after_cursor: 'x' })],
  ])(
    'asks again for an unreadable page (%s), and stops loudly when it stays unreadable',
    async (_case, body) => {
      nock(ORIGIN).get(EXPORT).query(true).times(3).reply(200, body, JSON_HEADERS);
      const pages: ConnectorPage[] = [];
      const pulling = (async () => {
        for await (const page of createZendeskConnector(context().ctx).pullChanges(null, { since: SINCE }))
          pages.push(page);
      })();
      await expect(pulling).rejects.toBeInstanceOf(InvalidPayloadError);
      // Nothing to commit: a first sync that never read a page pins no cursor.
      expect(pages).toEqual([]);
    },
  );

  it('quarantines a malformed page and goes on when the next answer is good', async () => {
    nock(ORIGIN)
      .get(EXPORT)
      .query(true)
      .reply(200, fixtureText('incremental-tickets-cursor-page1'), JSON_HEADERS)
      .get(EXPORT)
      .query({ cursor: page1.after_cursor, include: 'users,organizations', per_page: '1000' })
      .reply(200, '{"error":"oops"}', JSON_HEADERS)
      .get(EXPORT)
      .query({ cursor: page1.after_cursor, include: 'users,organizations', per_page: '1000' })
      .reply(200, fixtureText('incremental-tickets-cursor-page2-end'), JSON_HEADERS);
    const pages = await collect(createZendeskConnector(context().ctx).pullChanges(null, { since: SINCE }));
    // The unreadable answer is quarantined with the next good page, committed with its cursor.
    expect(pages.map((p) => [p.tickets.length > 0, p.quarantined.map((q) => q.kind)])).toEqual([
      [true, []],
      [true, ['page']],
    ]);
    expect(decodeCursor(pages[1]!.cursor).after_cursor).toBe(page2.after_cursor);
  });

  it('stops loudly on a page with end_of_stream false and no after_cursor', async () => {
    nock(ORIGIN)
      .get(EXPORT)
      .query(true)
      .reply(200, JSON.stringify({ tickets: [], end_of_stream: false }), JSON_HEADERS);
    const pulling = collect(createZendeskConnector(context().ctx).pullChanges(null, { since: SINCE }));
    await expect(pulling).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it('falls back to the highest generated_timestamp when Zendesk refuses the cursor', async () => {
    const cursor = encodeCursor({
      v: 1,
      after_cursor: 'expired',
      start_time: null,
      high_water: 1_790_000_000,
    });
    nock(ORIGIN)
      .get(EXPORT)
      .query({ cursor: 'expired', include: 'users,organizations', per_page: '1000' })
      .reply(400, { error: 'InvalidValue', description: 'Invalid cursor' }, JSON_HEADERS)
      .get(EXPORT)
      .query({ start_time: '1790000000', include: 'users,organizations', per_page: '1000' })
      .reply(200, fixtureText('incremental-tickets-cursor-page2-end'), JSON_HEADERS);
    const pages = await collect(createZendeskConnector(context().ctx).pullChanges(cursor, { since: 0 }));
    expect(pages).toHaveLength(1);
    expect(decodeCursor(pages[0]!.cursor).after_cursor).toBe(page2.after_cursor);
  });

  it('refuses a stored cursor it did not write', async () => {
    const pulling = collect(
      createZendeskConnector(context().ctx).pullChanges('MTU3NjYxMzUzOS4wfHw0Njd8', { since: 0 }),
    );
    await expect(pulling).rejects.toBeInstanceOf(PermanentError);
  });

  it('sends a Bearer token for OAuth credentials, to the configured base URL', async () => {
    const { ctx } = context({
      settings: { subdomain: 'acme', baseUrl: 'http://zendesk-proxy.internal:8443' },
      credentials: { oauthToken: 'oauth-access-token' },
    });
    const scope = nock('http://zendesk-proxy.internal:8443', {
      reqheaders: { authorization: 'Bearer oauth-access-token' },
    })
      .get(EXPORT)
      .query(true)
      .reply(200, fixtureText('incremental-tickets-cursor-page2-end'), JSON_HEADERS);
    await collect(createZendeskConnector(ctx).pullChanges(null, { since: SINCE }));
    scope.done();
  });
});

describe('fetchTicket', () => {
  it('fetches one ticket with its requester and organization', async () => {
    const scope = nock(ORIGIN, { reqheaders: { authorization: BASIC } })
      .get('/api/v2/tickets/1161.json')
      .query({ include: 'users,organizations' })
      .reply(200, fixtureText('tickets-show-1161'), JSON_HEADERS);
    const page = await createZendeskConnector(context().ctx).fetchTicket!('1161');
    scope.done();
    expect(page).toMatchObject({ stream: 'webhook', cursor: '', quarantined: [] });
    expect(page!.tickets.map((t) => [t.ticketId, t.requester.externalId])).toEqual([['1161', 'cus_0042']]);
    expect(page!.organizations.map((o) => o.externalId)).toEqual(['cus_0042']);
  });

  it('returns null for a ticket Zendesk no longer has', async () => {
    nock(ORIGIN)
      .get('/api/v2/tickets/999.json')
      .query(true)
      .reply(404, { error: 'RecordNotFound', description: 'Not found' }, JSON_HEADERS);
    await expect(createZendeskConnector(context().ctx).fetchTicket!('999')).resolves.toBeNull();
  });
});
