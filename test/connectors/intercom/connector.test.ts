import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../connectors/intercom/cursor.js';
import { createIntercomConnector, OVERLAP_SECONDS } from '../../../connectors/intercom/index.js';
import { InvalidPayloadError } from '../../../src/errors.js';
import {
  collect,
  context,
  fixture,
  fixtureText,
  JSON_HEADERS,
  NOW_S,
  ORIGIN,
  REQ_HEADERS,
  searchBody,
  useNock,
} from './nock-setup.js';

useNock();

const SINCE_S = Date.parse('2026-01-01T00:00:00Z') / 1000;
const ANA = '6650a1b2c3d4e5f600000001';
const BEN = '6650a1b2c3d4e5f600000002';
const LEAD = '6650a1b2c3d4e5f600000003';
const ACME = '6650c0000000000000000a01';
const NEXT = fixture<{ pages: { next: { starting_after: string } } }>('conversations-search-page1').pages.next
  .starting_after;
const contactsBody = (ids: string[]) => ({
  query: { field: 'id', operator: 'IN', value: ids },
  pagination: { per_page: 150 },
});

/** The whole first sync, request by request, exactly as Intercom must see it. */
function firstSyncScope() {
  const since = SINCE_S - OVERLAP_SECONDS;
  return nock(ORIGIN, { reqheaders: REQ_HEADERS })
    .post('/conversations/search', searchBody(since))
    .reply(200, fixtureText('conversations-search-page1'), JSON_HEADERS)
    .post('/contacts/search', contactsBody([ANA, BEN]))
    .reply(200, fixtureText('contacts-search-page1'), JSON_HEADERS)
    .get(`/companies/${ACME}`)
    .reply(200, fixtureText('company-acme'), JSON_HEADERS)
    .post('/conversations/search', searchBody(since, NEXT))
    .reply(200, fixtureText('conversations-search-page2-end'), JSON_HEADERS)
    .post('/contacts/search', contactsBody([LEAD]))
    .reply(200, fixtureText('contacts-search-lead'), JSON_HEADERS)
    .post('/tickets/search', searchBody(since))
    .reply(200, fixtureText('tickets-search-page1-end'), JSON_HEADERS);
}

describe('pullChanges', () => {
  it('searches conversations then tickets from the watermark less the overlap, one page per request', async () => {
    const scope = firstSyncScope();
    const pages = await collect(
      createIntercomConnector(context().ctx).pullChanges(null, { since: SINCE_S * 1000 }),
    );
    scope.done();

    expect(pages.map(({ stream, cursor, ...rest }) => rest)).toEqual([
      fixture('conversations-search-page1.expected'),
      fixture('conversations-search-page2-end.expected'),
      fixture('tickets-search-page1-end.expected'),
    ]);
    expect(pages.map((p) => p.stream)).toEqual(['tickets', 'tickets', 'tickets']);
    expect(pages.map((p) => decodeCursor(p.cursor))).toEqual([
      { v: 1, watermark: SINCE_S, run: { started_at: NOW_S, stream: 'conversations', starting_after: NEXT } },
      { v: 1, watermark: SINCE_S, run: { started_at: NOW_S, stream: 'tickets', starting_after: null } },
      // Finished: the watermark moves to when the run started, not to the newest updated_at.
      { v: 1, watermark: NOW_S, run: null },
    ]);
    expect(pages.map((p) => p.tickets.map((t) => [t.ticketId, t.status, t.outbound]))).toEqual([
      [
        ['1001', 'open', false],
        ['1002', 'closed', true],
        ['1003', 'snoozed', false],
      ],
      [
        ['1004', 'open', true],
        ['1005', 'open', true],
      ],
      [
        ['2001', 'in_progress', false],
        ['2002', 'submitted', true],
      ],
    ]);
    expect(pages[0]!.tickets[0]).toEqual({
      source: 'intercom',
      connectionId: 'intercom-abc1def2',
      ticketId: '1001',
      createdAt: 1767225600_000,
      updatedAt: 1767229200_000,
      status: 'open',
      subject: '',
      text: 'The CSV import is stuck at 50%.\nCan you help? Thanks',
      tags: ['import'],
      fields: { Plan: 'growth', Seats: 12, Trial: true, Languages: ['en', 'pt'], 'Product area': null },
      requester: {
        id: ANA,
        externalId: null,
        email: 'ana@acme.example',
        organizationExternalIds: ['cus_0007'],
      },
      outbound: false,
      deleted: false,
      merged: false,
    });
    expect(pages[0]!.tickets[2]).toMatchObject({
      subject: 'Invoice & VAT',
      text: 'Invoice & VAT\nWe need the VAT number\non the invoice',
      requester: { id: BEN, externalId: 'cus_0042', email: 'ben@beta.example', organizationExternalIds: [] },
    });
    expect(pages[1]!.tickets[0]).toMatchObject({
      subject: 'Welcome campaign',
      text: 'Welcome campaign\nWelcome!',
    });
    expect(pages[2]!.tickets[0]).toMatchObject({
      subject: 'Export fails',
      text: 'Export fails\nThe PDF export fails every time',
      fields: { Severity: 'high' },
    });
    expect(pages[0]!.users).toEqual([
      {
        connectionId: 'intercom-abc1def2',
        userId: ANA,
        externalId: null,
        email: 'ana@acme.example',
        role: 'customer',
        organizationIds: [ACME],
      },
      {
        connectionId: 'intercom-abc1def2',
        userId: BEN,
        externalId: 'cus_0042',
        email: 'ben@beta.example',
        role: 'customer',
        organizationIds: [],
      },
    ]);
    expect(pages[0]!.organizations).toEqual([
      { connectionId: 'intercom-abc1def2', organizationId: ACME, externalId: 'cus_0007', name: 'Acme Ltd' },
    ]);
    expect(pages.flatMap((p) => p.quarantined)).toEqual([]);
  });

  it('resumes a crashed run where it stopped and still ends at that run’s start', async () => {
    const started = NOW_S - 3_600;
    const watermark = NOW_S - 7_200;
    const cursor = encodeCursor({
      v: 1,
      watermark,
      run: { started_at: started, stream: 'conversations', starting_after: NEXT },
    });
    const since = watermark - OVERLAP_SECONDS;
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .post('/conversations/search', searchBody(since, NEXT))
      .reply(200, fixtureText('conversations-search-page2-end'), JSON_HEADERS)
      .post('/contacts/search', contactsBody([LEAD, ANA]))
      .reply(200, { type: 'list', data: [], pages: null }, JSON_HEADERS)
      .post('/tickets/search', searchBody(since))
      .reply(200, fixtureText('tickets-search-empty'), JSON_HEADERS);
    const pages = await collect(createIntercomConnector(context().ctx).pullChanges(cursor, { since: 0 }));
    scope.done();
    expect(pages.map((p) => p.tickets.length)).toEqual([2, 0]);
    expect(decodeCursor(pages.at(-1)!.cursor)).toEqual({ v: 1, watermark: started, run: null });
    // Contacts Intercom no longer has: the requester keeps the conversation's own reference.
    expect(pages[0]!.tickets[0]!.requester).toEqual({
      id: LEAD,
      externalId: null,
      email: null,
      organizationExternalIds: [],
    });
  });

  it('skips the Tickets API when the workspace has no ticket types', async () => {
    const { ctx } = context({ settings: { region: 'us', appId: 'abc1def2', tickets: false } });
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .post('/conversations/search', searchBody(NOW_S - 60 - OVERLAP_SECONDS))
      .reply(200, fixtureText('conversations-search-empty'), JSON_HEADERS);
    const cursor = encodeCursor({ v: 1, watermark: NOW_S - 60, run: null });
    const pages = await collect(createIntercomConnector(ctx).pullChanges(cursor, { since: 0 }));
    scope.done();
    expect(pages).toHaveLength(1);
    expect(decodeCursor(pages[0]!.cursor)).toEqual({ v: 1, watermark: NOW_S, run: null });
  });

  it('quarantines malformed conversations with their issues and keeps the rest of the page', async () => {
    const cursor = encodeCursor({ v: 1, watermark: NOW_S - 60, run: null });
    const since = NOW_S - 60 - OVERLAP_SECONDS;
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .post('/conversations/search', searchBody(since))
      .reply(200, fixtureText('conversations-search-malformed'), JSON_HEADERS)
      .post('/tickets/search', searchBody(since))
      .reply(200, fixtureText('tickets-search-empty'), JSON_HEADERS);
    const pages = await collect(createIntercomConnector(context().ctx).pullChanges(cursor, { since: 0 }));
    scope.done();
    expect(pages[0]!.tickets).toEqual([]);
    expect(pages[0]!.quarantined.map((q) => [q.kind, q.externalId, q.source])).toEqual([
      ['conversation', '1004', 'intercom'],
      ['conversation', '1005', 'intercom'],
    ]);
    expect(pages[0]!.quarantined[0]!.error).toMatch(/^source: /);
    expect(pages[0]!.quarantined[1]!.error).toMatch(/^created_at: /);
    expect(pages[0]!.quarantined[1]!.payload).toEqual(
      fixture<{ conversations: unknown[] }>('conversations-search-malformed').conversations[1],
    );
  });

  it('retrieves a conversation only when its opener is too short to classify, and adds the customer’s words', async () => {
    const page = fixture<{ conversations: Array<Record<string, unknown>> }>('conversations-search-page1');
    const [first] = page.conversations;
    const opener = {
      ...first!,
      id: '1010',
      source: { ...(first!.source as object), body: '<p>Hi there 👋</p>' },
    };
    const retrieved = {
      ...opener,
      conversation_parts: {
        type: 'conversation_part.list',
        total_count: 3,
        conversation_parts: [
          {
            type: 'conversation_part',
            id: '1',
            part_type: 'comment',
            body: '<p>Our <b>CSV import</b> is stuck.</p>',
            author: { type: 'user', id: ANA },
          },
          {
            type: 'conversation_part',
            id: '2',
            part_type: 'note',
            body: '<p>internal: ask eng</p>',
            author: { type: 'admin', id: '9' },
          },
          {
            type: 'conversation_part',
            id: '3',
            part_type: 'comment',
            body: '<p>Looking into it</p>',
            author: { type: 'admin', id: '9' },
          },
        ],
      },
    };
    const cursor = encodeCursor({ v: 1, watermark: NOW_S - 60, run: null });
    const since = NOW_S - 60 - OVERLAP_SECONDS;
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .post('/conversations/search', searchBody(since))
      .reply(
        200,
        { type: 'conversation.list', conversations: [opener, page.conversations[2]], pages: null },
        JSON_HEADERS,
      )
      .post('/contacts/search', contactsBody([ANA, BEN]))
      .reply(200, fixtureText('contacts-search-page1'), JSON_HEADERS)
      .get(`/companies/${ACME}`)
      .reply(200, fixtureText('company-acme'), JSON_HEADERS)
      .get('/conversations/1010')
      .reply(200, retrieved, JSON_HEADERS)
      .post('/tickets/search', searchBody(since))
      .reply(200, fixtureText('tickets-search-empty'), JSON_HEADERS);
    const pages = await collect(createIntercomConnector(context().ctx).pullChanges(cursor, { since: 0 }));
    scope.done();
    expect(pages[0]!.tickets.map((t) => [t.ticketId, t.text])).toEqual([
      ['1010', 'Hi there 👋\nOur CSV import is stuck.'],
      ['1003', 'Invoice & VAT\nWe need the VAT number\non the invoice'],
    ]);
  });

  it('stops loudly, keeping its cursor, when the page itself is not a search result', async () => {
    const cursor = encodeCursor({ v: 1, watermark: NOW_S - 60, run: null });
    nock(ORIGIN).post('/conversations/search').reply(200, { type: 'error.list', errors: [] }, JSON_HEADERS);
    await expect(
      collect(createIntercomConnector(context().ctx).pullChanges(cursor, { since: 0 })),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
  });
});
