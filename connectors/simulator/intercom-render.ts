import {
  type IntercomAdminJson,
  type IntercomAuthor,
  type IntercomContactJson,
  type IntercomConversationJson,
  type IntercomPartJson,
  type IntercomTicketJson,
  seconds,
} from './intercom-types.js';
import type { Random } from './random.js';
import type { TicketText } from './sample-texts.js';

/** Renders one conversation or Intercom ticket of the sample workspace as API 2.14 returns it. */

const DAY = 86_400_000;

export type Delivery = 'customer' | 'admin' | 'campaign' | 'bot';
const DELIVERED_AS = {
  customer: 'customer_initiated',
  admin: 'admin_initiated',
  campaign: 'campaigns_initiated',
  bot: 'automated',
} as const;

export function conversation(
  random: Random,
  conversationId: string,
  createdAt: number,
  latest: number,
  contact: IntercomContactJson,
  text: TicketText,
  tags: string[],
  how: Delivery,
  admins: IntercomAdminJson[],
): IntercomConversationJson {
  const age = latest - createdAt;
  const state =
    age > 3 * DAY
      ? random.weighted([
          ['closed', 90],
          ['open', 7],
          ['snoozed', 3],
        ] as const)
      : random.pick(['open', 'open', 'closed', 'snoozed'] as const);
  const updatedAt = Math.min(
    latest,
    createdAt + random.between(5 * 60_000, Math.max(10 * 60_000, Math.min(age, 4 * DAY))),
  );
  const admin = random.pick(admins);
  const author =
    how === 'customer'
      ? { type: contact.role, id: contact.id, name: contact.name, email: contact.email }
      : how === 'bot'
        ? { type: 'bot' as const, id: '7409999', name: 'Fin', email: null }
        : { type: 'admin' as const, id: admin.id, name: admin.name, email: admin.email };
  const body = text.body
    .split('\n\n')
    .map((p) => `<p>${p.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replace(/\n/g, '<br>')}</p>`)
    .join('');
  const email = how !== 'bot' && random.chance(0.35);
  // Messenger openers are often just a greeting; the question follows in the next part.
  const opener = how === 'customer' && !email && random.chance(0.3);
  const part = (id: number, partAuthor: IntercomAuthor, html: string, at: number): IntercomPartJson => ({
    type: 'conversation_part',
    id: String(id),
    part_type: 'comment',
    body: html,
    created_at: seconds(at),
    updated_at: seconds(at),
    author: partAuthor,
  });
  const parts = opener
    ? [
        part(1, author, body, createdAt + 30_000),
        part(
          2,
          { type: 'admin', id: admin.id, name: admin.name, email: admin.email },
          '<p>Thanks, looking into it.</p>',
          updatedAt,
        ),
      ]
    : [];
  return {
    type: 'conversation',
    id: conversationId,
    title: null,
    created_at: seconds(createdAt),
    updated_at: seconds(updatedAt),
    waiting_since: state === 'open' ? seconds(updatedAt) : null,
    snoozed_until: state === 'snoozed' ? seconds(latest + DAY) : null,
    open: state !== 'closed',
    state,
    read: true,
    priority: random.chance(0.1) ? 'priority' : 'not_priority',
    admin_assignee_id: Number(admin.id),
    team_assignee_id: null,
    tags: {
      type: 'tag.list',
      tags: tags.map((name, i) => ({
        type: 'tag',
        id: String(9_100 + i),
        name,
        applied_at: seconds(createdAt),
      })),
    },
    source: {
      type: email ? 'email' : 'conversation',
      id: String(400_000_000 + Number(conversationId.slice(-6))),
      delivered_as: DELIVERED_AS[how],
      subject: email ? text.subject : '',
      body: opener ? `<p>${random.pick(['Hi there 👋', 'Hello!', 'Hey, quick question'])}</p>` : body,
      author,
      attachments: [],
      url: null,
      redacted: false,
    },
    contacts: {
      type: 'contact.list',
      contacts: [{ type: 'contact', id: contact.id, external_id: contact.external_id }],
    },
    teammates: { type: 'admin.list', admins: [{ type: 'admin', id: admin.id }] },
    custom_attributes: { Plan: random.pick(['starter', 'growth', 'enterprise']), 'Product area': null },
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: how === 'bot',
    conversation_parts: {
      type: 'conversation_part.list',
      conversation_parts: parts,
      total_count: parts.length,
    },
  };
}

export function ticket(
  random: Random,
  ticketId: string,
  createdAt: number,
  latest: number,
  contact: IntercomContactJson,
  text: TicketText,
  category: IntercomTicketJson['category'],
): IntercomTicketJson {
  const resolved = latest - createdAt > 5 * DAY;
  const stateCategory = resolved
    ? 'resolved'
    : random.pick(['submitted', 'in_progress', 'waiting_on_customer'] as const);
  return {
    type: 'ticket',
    id: ticketId,
    ticket_id: String(1_300 + Number(ticketId.slice(-3))),
    category,
    ticket_attributes: {
      _default_title_: text.subject,
      _default_description_: text.body,
      Severity: random.pick(['low', 'high']),
    },
    ticket_state: {
      type: 'ticket_state',
      id: String(
        8_800 + ['submitted', 'in_progress', 'waiting_on_customer', 'resolved'].indexOf(stateCategory),
      ),
      category: stateCategory,
      internal_label: stateCategory.replaceAll('_', ' '),
      external_label: stateCategory.replaceAll('_', ' '),
    },
    ticket_type: {
      type: 'ticket_type',
      id: category === 'Customer' ? '51' : '52',
      name: category === 'Customer' ? 'Bug report' : 'Finance follow-up',
      category,
    },
    contacts: {
      type: 'contact.list',
      contacts: [{ type: 'contact', id: contact.id, external_id: contact.external_id }],
    },
    admin_assignee_id: null,
    team_assignee_id: null,
    created_at: seconds(createdAt),
    updated_at: seconds(Math.min(latest, createdAt + random.between(60_000, 2 * DAY))),
    open: !resolved,
    snoozed_until: null,
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    is_shared: category === 'Customer',
  };
}
