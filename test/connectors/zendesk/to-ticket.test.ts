import { describe, expect, it } from 'vitest';
import { mapItems } from '../../../connectors/zendesk/page.js';
import {
  type RawUser,
  rawOrganizationSchema,
  rawTicketSchema,
  rawUserSchema,
} from '../../../connectors/zendesk/schemas.js';
import {
  lookupsFrom,
  toHelpdeskOrganization,
  toHelpdeskUser,
  toTicket,
} from '../../../connectors/zendesk/to-ticket.js';
import type { Ticket } from '../../../src/domain/ticket.js';
import { fixture, type RawPage } from './fixtures.js';

const CONNECTION = 'zendesk-acme';
const page1 = fixture<RawPage>('incremental-tickets-cursor-page1');
const page2 = fixture<RawPage>('incremental-tickets-cursor-page2-end');

describe('recorded pages map to their expected normalized output', () => {
  it.each([
    'incremental-tickets-cursor-page1',
    'incremental-tickets-cursor-page2-end',
    'incremental-tickets-cursor-missing-requester',
  ])('%s', (name) => {
    const { highWater: _highWater, ...mapped } = mapItems(fixture<RawPage>(name), CONNECTION);
    expect(mapped).toEqual(fixture(`${name}.expected`));
  });
});

describe('toTicket on the recorded cases', () => {
  const byId = new Map(mapItems(page2, CONNECTION).tickets.map((t) => [t.ticketId, t]));
  it.each<[string, string, Partial<Ticket>]>([
    ['a deleted ticket (status deleted)', '1170', { deleted: true, merged: false, outbound: false }],
    ['a ticket merged away (closed_by_merge)', '1171', { merged: true, deleted: false, status: 'closed' }],
    ['the ticket it was merged into', '1172', { merged: false, deleted: false }],
    ['a ticket an agent created (requester is the agent)', '1173', { outbound: true }],
    ["an agent logging a customer's call (customer is requester)", '1174', { outbound: false }],
  ])('%s', (_case, id, expected) => {
    expect(byId.get(id)).toMatchObject(expected);
  });
});

const baseTicket = page1.tickets[0]!;
const maria = (page1.users as RawUser[])[0]!;

function map(
  ticketChanges: Record<string, unknown>,
  users: unknown[] = page1.users,
  orgs = page1.organizations,
) {
  const raw = rawTicketSchema.parse({ ...baseTicket, ...ticketChanges });
  const lookups = lookupsFrom(
    users.map((u) => rawUserSchema.parse(u)),
    orgs.map((o) => rawOrganizationSchema.parse(o)),
  );
  return toTicket(raw, lookups, CONNECTION);
}

describe('toTicket', () => {
  it.each<[string, Record<string, unknown>, unknown[], (t: Ticket) => unknown, unknown]>([
    ['ticketId is the id as text', { id: 1161 }, page1.users, (t) => t.ticketId, '1161'],
    [
      'times are epoch ms',
      {},
      page1.users,
      (t) => [t.createdAt, t.updatedAt],
      [Date.parse('2026-10-02T09:14:03Z'), Date.parse('2026-10-02T11:40:17Z')],
    ],
    [
      'text is subject, newline, description',
      { subject: 'S', description: 'D' },
      page1.users,
      (t) => t.text,
      'S\nD',
    ],
    [
      'a null subject leaves the description',
      { subject: null, description: 'D' },
      page1.users,
      (t) => [t.subject, t.text],
      ['', 'D'],
    ],
    [
      'a null description leaves the subject',
      { description: null },
      page1.users,
      (t) => t.text,
      'CSV import keeps failing',
    ],
    ['tags are lower-cased', { tags: ['VIP', 'Billing'] }, page1.users, (t) => t.tags, ['vip', 'billing']],
    ['no tags', { tags: null }, page1.users, (t) => t.tags, []],
    [
      'custom fields by id',
      { custom_fields: [{ id: 7, value: 'x' }, { id: 8 }] },
      page1.users,
      (t) => t.fields,
      { '7': 'x', '8': null },
    ],
    [
      'requester e-mail lower-cased and trimmed',
      {},
      [{ ...maria, email: ' Maria@Brightwave.IO ' }],
      (t) => t.requester.email,
      'maria@brightwave.io',
    ],
    ['requester external id', {}, page1.users, (t) => t.requester.externalId, 'cus_0042'],
    [
      'a numeric external id becomes text',
      {},
      [{ ...maria, external_id: 42 }],
      (t) => t.requester.externalId,
      '42',
    ],
    [
      "organization external ids from the user's and the ticket's org",
      { organization_id: 509980 },
      page1.users,
      (t) => t.requester.organizationExternalIds,
      ['cus_0042'],
    ],
    ['an agent requester is outbound', {}, [{ ...maria, role: 'agent' }], (t) => t.outbound, true],
    ['an admin requester is outbound', {}, [{ ...maria, role: 'admin' }], (t) => t.outbound, true],
    [
      'an agent submitter with a customer requester is not',
      { submitter_id: 235323 },
      page1.users,
      (t) => t.outbound,
      false,
    ],
    [
      'a requester missing from the sideloads keeps only its id',
      { organization_id: null },
      [],
      (t) => [t.requester, t.outbound],
      [{ id: '9873843', externalId: null, email: null, organizationExternalIds: [] }, false],
    ],
    [
      "...and the ticket's organization, which is the requester's",
      {},
      [],
      (t) => t.requester.organizationExternalIds,
      ['cus_0042'],
    ],
    [
      'status deleted is deleted',
      { status: 'deleted' },
      page1.users,
      (t) => [t.deleted, t.status],
      [true, 'deleted'],
    ],
    [
      'closed_by_merge in any case is merged',
      { tags: ['Closed_By_Merge'] },
      page1.users,
      (t) => t.merged,
      true,
    ],
  ])('%s', (_case, changes, users, pick, expected) => {
    expect(pick(map(changes, users))).toEqual(expected);
  });
});

describe('users and organizations', () => {
  it('maps a sideloaded user', () => {
    expect(toHelpdeskUser({ ...maria, id: 9873843 }, CONNECTION)).toEqual({
      connectionId: CONNECTION,
      userId: '9873843',
      externalId: 'cus_0042',
      email: 'maria.lopez@brightwave.io',
      role: 'customer',
      organizationIds: ['509974'],
    });
  });

  it.each([
    ['agent', 'staff'],
    ['admin', 'staff'],
    ['end-user', 'customer'],
  ] as const)('normalizes the role %s to %s', (role, expected) => {
    expect(toHelpdeskUser({ ...maria, id: 1, role }, CONNECTION).role).toBe(expected);
  });

  it('maps an organization', () => {
    expect(toHelpdeskOrganization({ id: 509980, name: null, external_id: null }, CONNECTION)).toEqual({
      connectionId: CONNECTION,
      organizationId: '509980',
      externalId: null,
      name: null,
    });
  });
});
