import type { Random } from './random.js';
import {
  AGENCY_DOMAINS,
  FIRST_NAMES,
  FREE_MAIL,
  LAST_NAMES,
  PRODUCT_NAME,
  STAFF,
  SUPPORT_DOMAIN,
} from './sample-names.js';
import type { CustomerProfile, Person } from './sample-profile.js';
import {
  fillText,
  OUTBOUND_TEXTS,
  PHONE_TEXTS,
  REASON_TAGS,
  REASON_WEIGHTS,
  SPAM_TEXTS,
  TICKET_TEXTS,
  type TicketText,
} from './sample-texts.js';
import { renderTicket, type TicketDraft } from './sample-ticket.js';
import {
  SAMPLE_API as API,
  type ZendeskOrganizationJson,
  type ZendeskTicketJson,
  type ZendeskUserJson,
  zendeskTime,
} from './zendesk-types.js';

export interface SampleZendesk {
  users: ZendeskUserJson[];
  organizations: ZendeskOrganizationJson[];
  tickets: ZendeskTicketJson[];
}

const DAY = 86_400_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The Zendesk account of the sample company: agents and an admin, the customers' people and
 * organizations, and their tickets — mostly filed during onboarding, plus the cases a real
 * account has: strangers nobody listed, spam and a deleted duplicate, merged duplicates,
 * agent-created check-ins (outbound) and phone calls an agent logged for a customer.
 */
export function buildZendesk(random: Random, profiles: CustomerProfile[], now: number): SampleZendesk {
  const latest = now - 10 * 60_000;
  const signups = profiles.map((p) => p.signup).filter((s): s is number => s !== null);
  const floor = signups.length > 0 ? Math.min(...signups) : now - 240 * DAY;
  const users = new Map<string, ZendeskUserJson>();
  const organizations: ZendeskOrganizationJson[] = [];
  const orgOf = new Map<string, ZendeskOrganizationJson>();

  const userFor = (person: Person, role: ZendeskUserJson['role'], extra: Partial<ZendeskUserJson> = {}) => {
    const existing = users.get(person.email);
    if (existing) return existing;
    const id = 380_000_000_000 + users.size + 1;
    const user: ZendeskUserJson = {
      url: `${API}/users/${id}.json`,
      id,
      name: person.name,
      email: person.email,
      external_id: null,
      role,
      organization_id: null,
      created_at: zendeskTime(floor - 30 * DAY),
      updated_at: zendeskTime(floor - 30 * DAY),
      active: true,
      verified: role !== 'end-user',
      suspended: false,
      time_zone: 'UTC',
      locale: 'en-US',
      tags: [],
      user_fields: {},
      ...extra,
    };
    users.set(person.email, user);
    return user;
  };
  const staff = STAFF.map((s) => userFor({ name: s.name, email: s.email }, s.role));
  const agents = staff.filter((u) => u.role === 'agent');

  for (const profile of profiles) {
    if (profile.customer.domains.length === 0 || !random.chance(0.55)) continue;
    const id = 360_000_000_000 + organizations.length + 1;
    const org: ZendeskOrganizationJson = {
      url: `${API}/organizations/${id}.json`,
      id,
      name: profile.customer.name,
      external_id: random.chance(0.6) ? profile.customer.id : null,
      domain_names: [...profile.customer.domains],
      created_at: zendeskTime(profile.signup ?? floor),
      updated_at: zendeskTime(profile.signup ?? floor),
      details: '',
      notes: '',
      group_id: null,
      shared_tickets: false,
      shared_comments: false,
      tags: [],
      organization_fields: {},
    };
    organizations.push(org);
    orgOf.set(profile.customer.id, org);
  }

  const stranger = (domain?: string): Person => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const at = domain ?? random.pick(FREE_MAIL);
    return { name: `${first} ${last}`, email: `${first}${last}${random.int(100, 9999)}@${at}`.toLowerCase() };
  };
  const requesterOf = (profile: CustomerProfile): ZendeskUserJson => {
    const org = orgOf.get(profile.customer.id);
    const orgId = org ? { organization_id: org.id } : {};
    const how = random.weighted([
      ['listed', 70],
      ['colleague', profile.colleagues.length > 0 ? 20 : 0],
      ['agency', org?.external_id ? 6 : 0],
    ] as const);
    if (how === 'colleague') return userFor(random.pick(profile.colleagues), 'end-user', orgId);
    if (how === 'agency') return userFor(stranger(random.pick(AGENCY_DOMAINS)), 'end-user', orgId);
    const externalId = random.chance(0.25) ? { external_id: profile.customer.id } : {};
    return userFor(random.pick(profile.people), 'end-user', { ...orgId, ...externalId });
  };
  const textFor = (template: TicketText, requester: ZendeskUserJson, company: string): TicketText =>
    fillText(template, {
      first: requester.name.split(' ')[0] ?? requester.name,
      company,
      product: PRODUCT_NAME,
      n: String(random.int(2, 40) * (random.chance(0.5) ? 1 : 250)),
      month: random.pick(MONTHS),
      amount: `€${random.int(29, 990)}.00`,
    });
  const clamp = (ms: number, min: number) => Math.min(latest, Math.max(min, Math.floor(ms / 1000) * 1000));
  const anyTime = () => clamp(floor + random.next() * (latest - floor), floor);

  const drafts: TicketDraft[] = [];
  const customerDrafts: Array<{ draft: TicketDraft; profile: CustomerProfile }> = [];
  for (const profile of profiles) {
    if (!random.chance(profile.signup === null ? 0.3 : 0.6)) continue;
    const count = random.weighted([
      [1, 55],
      [2, 30],
      [3, 15],
    ] as const);
    for (let i = 0; i < count; i += 1) {
      const requester = requesterOf(profile);
      const reason = random.weighted(REASON_WEIGHTS);
      const text = textFor(random.pick(TICKET_TEXTS[reason] ?? []), requester, profile.customer.name);
      const reasonTag = REASON_TAGS[reason];
      const tags = [...(text.tags ?? []), ...(reasonTag && random.chance(0.3) ? [reasonTag] : [])];
      const draft: TicketDraft = {
        createdAt: ticketTime(profile),
        requester,
        submitter: requester,
        text,
        tags,
      };
      drafts.push(draft);
      customerDrafts.push({ draft, profile });
    }
  }

  function ticketTime(profile: CustomerProfile): number {
    if (profile.signup === null) return clamp(latest - random.between(0, 200) * DAY, floor);
    const windowEnd = Math.min(latest, (profile.completed ?? latest) + 14 * DAY);
    const created = random.chance(0.85)
      ? profile.signup + random.between(0.02, 1) * (windowEnd - profile.signup)
      : windowEnd + random.between(1, 60) * DAY;
    return clamp(created, profile.signup + 10 * 60_000);
  }

  // Strangers nobody listed: they stay unlinked.
  for (let i = 0; i < 10; i += 1) {
    const requester = userFor(stranger(i < 8 ? undefined : 'randomcorp-example.com'), 'end-user');
    const reason = random.weighted(REASON_WEIGHTS);
    const text = textFor(random.pick(TICKET_TEXTS[reason] ?? []), requester, 'our company');
    drafts.push({ createdAt: anyTime(), requester, submitter: requester, text, tags: text.tags ?? [] });
  }
  // Spam, deleted by an agent: Zendesk keeps it in the export with status "deleted".
  for (let i = 0; i < 3; i += 1) {
    const requester = userFor(stranger(), 'end-user');
    const text = random.pick(SPAM_TEXTS);
    drafts.push({ createdAt: anyTime(), requester, submitter: requester, text, tags: [], status: 'deleted' });
  }
  // Duplicates: one deleted, three merged into the ticket they repeat (the original survives).
  const picked = new Set<number>();
  while (picked.size < Math.min(4, customerDrafts.length))
    picked.add(random.int(0, customerDrafts.length - 1));
  const originals = [...picked].map((index) => customerDrafts[index]!);
  originals.forEach(({ draft }, i) => {
    const createdAt = clamp(draft.createdAt + random.between(20, 180) * 60_000, draft.createdAt);
    const merged = i > 0;
    drafts.push({
      ...draft,
      createdAt,
      tags: merged ? [...draft.tags, 'closed_by_merge'] : draft.tags,
      status: merged ? 'closed' : 'deleted',
    });
  });
  // Agents write to customers (outbound) and log customers' phone calls (not outbound).
  const started = customerDrafts.map((c) => c.profile).filter((p) => p.signup !== null);
  for (let i = 0; i < 6 && started.length > 0; i += 1) {
    const profile = random.pick(started);
    const agent = random.pick(agents);
    const customer = userFor(random.pick(profile.people), 'end-user');
    const text = textFor(random.pick(OUTBOUND_TEXTS), customer, profile.customer.name);
    drafts.push({
      createdAt: ticketTime(profile),
      requester: agent,
      submitter: agent,
      text,
      tags: ['outreach'],
      cc: [customer.id],
      channel: 'web',
    });
  }
  for (let i = 0; i < 5 && started.length > 0; i += 1) {
    const profile = random.pick(started);
    const requester = requesterOf(profile);
    const text = textFor(random.pick(PHONE_TEXTS), requester, profile.customer.name);
    drafts.push({
      createdAt: ticketTime(profile),
      requester,
      submitter: random.pick(agents),
      text,
      tags: ['phone'],
      channel: 'voice',
    });
  }

  const ordered = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.createdAt - b.d.createdAt || a.i - b.i);
  const tickets = ordered.map(({ d }, i) =>
    renderTicket(random, 1001 + i, d, { latest, agents, supportDomain: SUPPORT_DOMAIN }),
  );
  const allUsers = [...users.values()];
  for (const user of allUsers) {
    const first = tickets.find((t) => t.requester_id === user.id || t.submitter_id === user.id);
    if (user.role === 'end-user' && first) user.created_at = user.updated_at = first.created_at;
  }
  return { users: allUsers, organizations, tickets };
}
