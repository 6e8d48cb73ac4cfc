import { describe, expect, it } from 'vitest';
import { mapItems } from '../../../connectors/zendesk/page.js';
import { exportPageSchema, rawTicketSchema } from '../../../connectors/zendesk/schemas.js';
import { fixture, type RawPage } from './fixtures.js';

const CONNECTION = 'zendesk-acme';

describe('mapItems: validate each item, quarantine the bad, keep going', () => {
  it('quarantines the ticket missing requester_id while the rest of the page maps', () => {
    const page = fixture<RawPage>('incremental-tickets-cursor-missing-requester');
    const mapped = mapItems(page, CONNECTION);
    expect(mapped.tickets.map((t) => t.ticketId)).toEqual(['1180', '1182']);
    expect(mapped.quarantined).toHaveLength(1);
    expect(mapped.quarantined[0]).toMatchObject({
      connectionId: CONNECTION,
      source: 'zendesk',
      kind: 'ticket',
      externalId: '1181',
      payload: page.tickets[1],
    });
    expect(mapped.quarantined[0]?.error).toMatch(/^requester_id: /);
  });

  it.each([
    [
      'a ticket with a bad created_at',
      { tickets: [{ ...ticket(), created_at: 'yesterday' }] },
      'ticket',
      /created_at/,
    ],
    ['a ticket that is not an object', { tickets: ['1161'] }, 'ticket', /\(root\)/],
    ['a ticket without an id', { tickets: [{ ...ticket(), id: undefined }] }, 'ticket', /^id: /],
    ['a user whose email is a number', { tickets: [], users: [{ id: 5, email: 5 }] }, 'user', /^email: /],
    [
      'an organization without an id',
      { tickets: [], organizations: [{ name: 'x' }] },
      'organization',
      /^id: /,
    ],
  ])('quarantines %s', (_case, items, kind, error) => {
    const mapped = mapItems(items, CONNECTION);
    expect(mapped.quarantined).toHaveLength(1);
    expect(mapped.quarantined[0]?.kind).toBe(kind);
    expect(mapped.quarantined[0]?.error).toMatch(error);
  });

  it('skips the anonymous user (id null) without quarantining it', () => {
    const mapped = mapItems({ tickets: [], users: [{ id: null, name: 'Anonymous user' }] }, CONNECTION);
    expect(mapped.users).toEqual([]);
    expect(mapped.quarantined).toEqual([]);
  });

  it('reports the greatest generated_timestamp of the page', () => {
    const page = fixture<RawPage>('incremental-tickets-cursor-page2-end');
    const max = Math.max(...page.tickets.map((t) => t.generated_timestamp as number));
    expect(mapItems(page, CONNECTION).highWater).toBe(max);
    expect(mapItems({ tickets: [] }, CONNECTION).highWater).toBeNull();
  });
});

describe('schemas', () => {
  it('lets unknown and new Zendesk fields through', () => {
    const parsed = rawTicketSchema.parse({ ...ticket(), brand_new_field: { nested: true } });
    expect(parsed).toHaveProperty('brand_new_field');
  });

  it.each([
    ['subject'],
    ['description'],
    ['tags'],
    ['custom_fields'],
    ['organization_id'],
    ['generated_timestamp'],
  ])('accepts a null %s', (key) => {
    expect(rawTicketSchema.safeParse({ ...ticket(), [key]: null }).success).toBe(true);
  });

  it.each([['id'], ['created_at'], ['updated_at'], ['status'], ['requester_id']])('requires %s', (key) => {
    const { [key]: _dropped, ...rest } = ticket();
    expect(rawTicketSchema.safeParse(rest).success).toBe(false);
  });

  it.each([
    ['no tickets array', { end_of_stream: true }],
    ['tickets not an array', { tickets: {}, end_of_stream: true }],
    ['no end_of_stream', { tickets: [] }],
  ])('rejects an export envelope with %s', (_case, body) => {
    expect(exportPageSchema.safeParse(body).success).toBe(false);
  });
});

function ticket(): Record<string, unknown> {
  return { ...fixture<RawPage>('incremental-tickets-cursor-page1').tickets[0]! };
}
