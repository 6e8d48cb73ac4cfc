import { conversation, type Delivery, ticket } from './intercom-render.js';
import {
  type IntercomAdminJson,
  type IntercomCompanyJson,
  type IntercomContactJson,
  type IntercomConversationJson,
  type IntercomTicketJson,
  SAMPLE_APP_ID,
  seconds,
} from './intercom-types.js';
import type { Random } from './random.js';
import { FIRST_NAMES, FREE_MAIL, LAST_NAMES, PRODUCT_NAME, STAFF } from './sample-names.js';
import type { CustomerProfile, Person } from './sample-profile.js';
import {
  fillText,
  OUTBOUND_TEXTS,
  REASON_TAGS,
  REASON_WEIGHTS,
  TICKET_TEXTS,
  type TicketText,
} from './sample-texts.js';

export interface SampleIntercom {
  appId: string;
  admins: IntercomAdminJson[];
  contacts: IntercomContactJson[];
  companies: IntercomCompanyJson[];
  conversations: IntercomConversationJson[];
  tickets: IntercomTicketJson[];
}

const DAY = 86_400_000;

/**
 * The sample company's Intercom workspace. Some customers talk to support through the
 * Messenger (Intercom), some by e-mail (Zendesk), and a few through both. It uses its own
 * random stream, so the Zendesk account is the same with or without it. It holds
 * customer-initiated conversations (HTML bodies, tags, custom attributes, short openers whose
 * question is in the next part), the outbound kinds that never count (admin messages,
 * campaigns, bots), leads nobody listed, and a few Intercom tickets (Customer, Back-office).
 */
export function buildIntercom(
  random: Random,
  profiles: CustomerProfile[],
  now: number,
  /** Ids of the customers who have tickets in Zendesk: a few of them also use the Messenger. */
  inZendesk: ReadonlySet<string>,
): SampleIntercom {
  const latest = now - 5 * 60_000;
  const signups = profiles.map((p) => p.signup).filter((s): s is number => s !== null);
  const floor = signups.length > 0 ? Math.min(...signups) : now - 240 * DAY;
  const admins: IntercomAdminJson[] = STAFF.map((s, i) => ({
    type: 'admin',
    id: String(7_410_000 + i),
    name: s.name,
    email: s.email,
  }));
  const contacts = new Map<string, IntercomContactJson>();
  const companies: IntercomCompanyJson[] = [];
  const companyOf = new Map<string, IntercomCompanyJson>();
  const conversations: IntercomConversationJson[] = [];
  const tickets: IntercomTicketJson[] = [];
  let nextId = 215_470_000_001;
  const id = () => String(nextId++);
  const clamp = (ms: number, min: number) => Math.min(latest, Math.max(min, Math.floor(ms / 1000) * 1000));

  const contactFor = (
    person: Person,
    role: 'user' | 'lead',
    customerId: string | null,
  ): IntercomContactJson => {
    const existing = contacts.get(person.email);
    if (existing) return existing;
    const company = customerId ? companyOf.get(customerId) : undefined;
    const contactId = `6a${(contacts.size + 1).toString(16).padStart(22, '0')}`;
    const contact: IntercomContactJson = {
      type: 'contact',
      id: contactId,
      workspace_id: SAMPLE_APP_ID,
      external_id: customerId && role === 'user' && random.chance(0.35) ? customerId : null,
      role,
      email: person.email,
      name: person.name,
      created_at: seconds(floor - 20 * DAY),
      updated_at: seconds(floor - 20 * DAY),
      companies: {
        type: 'list',
        data: company ? [{ type: 'company', id: company.id, url: `/companies/${company.id}` }] : [],
        url: `/contacts/${contactId}/companies`,
        total_count: company ? 1 : 0,
        has_more: false,
      },
    };
    contacts.set(person.email, contact);
    return contact;
  };

  const inIntercom = profiles.filter((p) => random.chance(inZendesk.has(p.customer.id) ? 0.12 : 0.3));
  for (const profile of inIntercom) {
    if (profile.customer.domains.length === 0 || !random.chance(0.5)) continue;
    const company: IntercomCompanyJson = {
      type: 'company',
      id: `64c${(companies.length + 1).toString(16).padStart(21, '0')}`,
      // Most workspaces send their own customer id as company_id; some use another system's.
      company_id: random.chance(0.7) ? profile.customer.id : `crm-${random.int(10_000, 99_999)}`,
      name: profile.customer.name,
      app_id: SAMPLE_APP_ID,
      created_at: seconds(profile.signup ?? floor),
      updated_at: seconds(profile.signup ?? floor),
      user_count: profile.people.length,
      custom_attributes: {},
    };
    companies.push(company);
    companyOf.set(profile.customer.id, company);
  }

  const textFor = (template: TicketText, person: Person, company: string): TicketText =>
    fillText(template, {
      first: person.name.split(' ')[0] ?? person.name,
      company,
      product: PRODUCT_NAME,
      n: String(random.int(2, 40)),
      month: 'March',
      amount: `€${random.int(29, 990)}.00`,
    });
  const when = (profile: CustomerProfile): number => {
    if (profile.signup === null) return clamp(latest - random.between(0, 200) * DAY, floor);
    const windowEnd = Math.min(latest, (profile.completed ?? latest) + 14 * DAY);
    const created = random.chance(0.85)
      ? profile.signup + random.between(0.02, 1) * (windowEnd - profile.signup)
      : windowEnd + random.between(1, 60) * DAY;
    return clamp(created, profile.signup + 10 * 60_000);
  };
  const add = (createdAt: number, contact: IntercomContactJson, text: TicketText, how: Delivery): void => {
    conversations.push(
      conversation(random, id(), createdAt, latest, contact, text, text.tags ?? [], how, admins),
    );
  };

  for (const profile of inIntercom) {
    const both = inZendesk.has(profile.customer.id);
    if (!both && !random.chance(profile.signup === null ? 0.3 : 0.6)) continue;
    const count = random.weighted([
      [1, 60],
      [2, 30],
      [3, 10],
    ] as const);
    for (let i = 0; i < count; i += 1) {
      const pool = random.chance(0.2) && profile.colleagues.length > 0 ? profile.colleagues : profile.people;
      const person = random.pick(pool);
      const contact = contactFor(person, 'user', profile.customer.id);
      const reason = random.weighted(REASON_WEIGHTS);
      const text = textFor(random.pick(TICKET_TEXTS[reason] ?? []), person, profile.customer.name);
      const tag = REASON_TAGS[reason];
      add(
        when(profile),
        contact,
        { ...text, tags: [...(text.tags ?? []), ...(tag && random.chance(0.3) ? [tag] : [])] },
        'customer',
      );
    }
  }

  const started = inIntercom.filter((p) => p.signup !== null);
  // The company writes first: admin messages, campaigns and bots. Linked, never counted.
  for (const how of ['admin', 'admin', 'campaign', 'campaign', 'bot'] as const) {
    if (started.length === 0) break;
    const profile = random.pick(started);
    const contact = contactFor(random.pick(profile.people), 'user', profile.customer.id);
    add(
      when(profile),
      contact,
      textFor(random.pick(OUTBOUND_TEXTS), random.pick(profile.people), profile.customer.name),
      how,
    );
  }
  // Visitors nobody listed (leads on free mail): unlinked.
  for (let i = 0; i < 6; i += 1) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const person = {
      name: `${first} ${last}`,
      email: `${first}.${last}${random.int(10, 999)}@${random.pick(FREE_MAIL)}`.toLowerCase(),
    };
    const reason = random.weighted(REASON_WEIGHTS);
    const createdAt = clamp(floor + random.next() * (latest - floor), floor);
    add(
      createdAt,
      contactFor(person, 'lead', null),
      textFor(random.pick(TICKET_TEXTS[reason] ?? []), person, 'our company'),
      'customer',
    );
  }
  // Intercom tickets: customers' requests filed as tickets, and a back-office task about one.
  for (let i = 0; i < 4 && started.length > 0; i += 1) {
    const profile = random.pick(started);
    const contact = contactFor(random.pick(profile.people), 'user', profile.customer.id);
    const reason = random.weighted(REASON_WEIGHTS);
    const text = textFor(
      random.pick(TICKET_TEXTS[reason] ?? []),
      random.pick(profile.people),
      profile.customer.name,
    );
    tickets.push(
      ticket(random, id(), when(profile), latest, contact, text, i === 3 ? 'Back-office' : 'Customer'),
    );
  }

  conversations.sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
  return {
    appId: SAMPLE_APP_ID,
    admins,
    contacts: [...contacts.values()],
    companies,
    conversations,
    tickets,
  };
}
