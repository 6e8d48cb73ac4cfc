import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../connectors/intercom/cursor.js';
import {
  customerText,
  enrichShortConversations,
  MAX_RETRIEVALS_PER_PAGE,
} from '../../../connectors/intercom/parts.js';
import { rawConversationSchema, rawIntercomTicketSchema } from '../../../connectors/intercom/schemas.js';
import {
  conversationToTicket,
  fieldsOf,
  htmlToText,
  type IntercomLookups,
  intercomTicketToTicket,
} from '../../../connectors/intercom/to-ticket.js';
import { PermanentError } from '../../../src/errors.js';
import { fixture } from './nock-setup.js';

const NONE: IntercomLookups = { contacts: new Map(), companies: new Map() };
const base = fixture<{ conversations: Array<Record<string, unknown>> }>('conversations-search-page1')
  .conversations[0]!;
const conversation = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  rawConversationSchema.parse({ ...base, ...extra, source: { ...(base.source as object), ...source } });

describe('conversationToTicket', () => {
  it.each([
    [
      'a customer-started conversation',
      { delivered_as: 'customer_initiated', author: { type: 'user', id: 'c1' } },
      false,
    ],
    [
      'a lead-started conversation',
      { delivered_as: 'customer_initiated', author: { type: 'lead', id: 'c1' } },
      false,
    ],
    ['an admin message', { delivered_as: 'admin_initiated', author: { type: 'admin', id: 'a1' } }, true],
    [
      'an operator (workflow) message',
      { delivered_as: 'operator_initiated', author: { type: 'bot', id: 'b1' } },
      true,
    ],
    ['a campaign', { delivered_as: 'campaigns_initiated', author: { type: 'admin', id: 'a1' } }, true],
    ['an automated message', { delivered_as: 'automated', author: { type: 'user', id: 'c1' } }, true],
    ['a bot author whatever the delivery', { delivered_as: null, author: { type: 'bot', id: 'b1' } }, true],
    ['an unknown delivery by a user', { delivered_as: null, author: null }, false],
  ])('%s is outbound: %s', (_case, source, outbound) => {
    expect(conversationToTicket(conversation(source), NONE, 'ic').outbound).toBe(outbound);
  });

  it('takes the subject, else the title, and never counts a conversation as merged or deleted', () => {
    const withTitle = conversationToTicket(
      conversation({ subject: '' }, { title: 'Export help' }),
      NONE,
      'ic',
    );
    expect(withTitle).toMatchObject({ subject: 'Export help', merged: false, deleted: false });
    expect(withTitle.text.startsWith('Export help\n')).toBe(true);
    const withSubject = conversationToTicket(
      conversation({ subject: '<b>Re:</b> billing' }, { title: 'x' }),
      NONE,
      'ic',
    );
    expect(withSubject.subject).toBe('Re: billing');
  });

  it('uses the first contact as requester, even when an admin started it', () => {
    const raw = conversation(
      { delivered_as: 'admin_initiated', author: { type: 'admin', id: 'a1' } },
      {
        contacts: {
          contacts: [
            { id: 'c9', external_id: 'cus_9' },
            { id: 'c10', external_id: 'cus_10' },
          ],
        },
      },
    );
    const lookups: IntercomLookups = {
      contacts: new Map([
        [
          'c9',
          {
            id: 'c9',
            role: 'user',
            email: ' X@Y.test ',
            external_id: null,
            companies: { data: [{ id: 'co1' }, { id: 'co2' }, { id: 'co3' }] },
          },
        ],
      ]),
      companies: new Map([
        ['co1', { id: 'co1', company_id: 'cus_1', name: 'One' }],
        ['co2', null],
        ['co3', { id: 'co3', company_id: 'cus_1', name: 'One again' }],
      ]),
    };
    expect(conversationToTicket(raw, lookups, 'ic').requester).toEqual({
      id: 'c9',
      externalId: 'cus_9',
      email: 'x@y.test',
      organizationExternalIds: ['cus_1'],
    });
  });
});

describe('intercomTicketToTicket', () => {
  const raw = fixture<{ tickets: Array<Record<string, unknown>> }>('tickets-search-page1-end').tickets[0]!;

  it.each([
    ['2.14 (an object)', raw.ticket_state],
    ['2.11 (a string)', 'waiting_on_customer'],
  ])('reads ticket_state in API %s as its category', (_version, state) => {
    const parsed = rawIntercomTicketSchema.parse({ ...raw, ticket_state: state });
    const expected = typeof state === 'string' ? state : 'in_progress';
    expect(intercomTicketToTicket(parsed, NONE, 'ic').status).toBe(expected);
  });

  it.each([
    ['Customer', false],
    ['Back-office', true],
    ['Tracker', true],
  ])('a %s ticket is outbound: %s', (category, outbound) => {
    const parsed = rawIntercomTicketSchema.parse({ ...raw, category });
    expect(intercomTicketToTicket(parsed, NONE, 'ic').outbound).toBe(outbound);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<p>One</p><p>Two</p>', 'One\nTwo'],
    ['a<br>b<br/>c', 'a\nb\nc'],
    ['<div>Tom &amp; Jerry &lt;3 &#39;x&#39; &#x41;</div>', "Tom & Jerry <3 'x' A"],
    ['<style>p{color:red}</style><p>kept</p><script>alert(1)</script>', 'kept'],
    ['  spaced   &nbsp; out  ', 'spaced out'],
    ['&#99999999; &bogus;', '&#99999999; &bogus;'],
    ['', ''],
  ])('%j → %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('fieldsOf', () => {
  it('keeps scalars and string lists, and writes anything nested as JSON', () => {
    expect(fieldsOf({ a: 'x', b: 2, c: false, d: null, e: ['p', 'q'], f: { id: 1 }, g: [1, 2] })).toEqual({
      a: 'x',
      b: 2,
      c: false,
      d: null,
      e: ['p', 'q'],
      f: '{"id":1}',
      g: '[1,2]',
    });
  });
});

describe('cursor', () => {
  it('round-trips, and refuses text it did not write', () => {
    const cursor = {
      v: 1 as const,
      watermark: 10,
      run: { started_at: 20, stream: 'tickets' as const, starting_after: 'abc' },
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const text of [
      'nope',
      '{}',
      '{"v":1,"watermark":-1,"run":null}',
      '{"v":1,"watermark":1,"run":{"started_at":1,"stream":"x","starting_after":null}}',
    ]) {
      expect(() => decodeCursor(text)).toThrow(PermanentError);
    }
  });
});

describe('enrichShortConversations', () => {
  const short = (id: string, outbound = false) => ({
    ...conversationToTicket(conversation({ body: '<p>Hello!</p>' }, { id }), NONE, 'ic'),
    outbound,
  });

  it('retrieves only short, customer-started conversations, at most 25 a page', async () => {
    const asked: string[] = [];
    const tickets = [short('o1', true), ...Array.from({ length: 30 }, (_, i) => short(String(i)))];
    const out = await enrichShortConversations(tickets, async (id) => {
      asked.push(id);
      return {
        conversation_parts: {
          conversation_parts: [{ part_type: 'comment', body: 'Refund please', author: { type: 'lead' } }],
        },
      };
    });
    expect(asked).toHaveLength(MAX_RETRIEVALS_PER_PAGE);
    expect(asked).not.toContain('o1');
    expect(out[1]!.text).toBe('Hello!\nRefund please');
    expect(out[30]!.text).toBe('Hello!');
  });

  it('leaves the text alone when Intercom no longer has the conversation or it has no customer comments', async () => {
    const [gone, quiet] = await enrichShortConversations([short('a'), short('b')], async (id) =>
      id === 'a' ? null : { conversation_parts: { conversation_parts: [] } },
    );
    expect([gone!.text, quiet!.text]).toEqual(['Hello!', 'Hello!']);
    expect(customerText({ conversation_parts: 'garbage' })).toBe('');
  });
});
