import { createRandom, type Random } from '../connectors/simulator/random.js';
import {
  fillText,
  REASON_TAGS,
  REASON_WEIGHTS,
  SPAM_TEXTS,
  TICKET_TEXTS,
} from '../connectors/simulator/sample-texts.js';
import { zendeskTime } from '../connectors/simulator/zendesk-types.js';
import type { Customer, Milestone } from '../src/domain/customer.js';

/**
 * A company of any size, generated from a seed, one record at a time: customer `i`, its
 * milestones and ticket `j` are pure functions of (seed, i or j), so the history is streamed
 * in pages and never held in memory. Tickets come out as raw Zendesk JSON (the shapes of the
 * incremental export and its sideloads), so the real connector mapper normalizes them.
 */
export interface CompanySize {
  customers: number;
  tickets: number;
  milestones: number;
}

export interface SyntheticCompany {
  seed: number;
  /** Epoch ms: the history ends an hour before it. */
  now: number;
  size: CompanySize;
}

export const START = 'signed_up';
export const COMPLETION = 'onboarding_completed';
const FILLER = ['connected_data', 'invited_team', 'first_report', 'logged_in'] as const;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'] as const;
const AGENCY = 'agency-partners.example';
const AGENT_IDS = [101, 102, 103, 104] as const;
const PLAN_FIELD = 360_300_000_001;

/** A stream of its own per record, independent of how many came before (splitmix-style mix). */
function randomFor(seed: number, stream: number, index: number): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ (stream << 24);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return createRandom((h ^ (h >>> 16)) >>> 0);
}

const pad = (i: number) => String(i).padStart(7, '0');
export const customerId = (i: number) => `c${pad(i)}`;
const domainOf = (i: number) => `co${i}.example.com`;

interface Profile {
  soleTrader: boolean;
  listed: number;
  signup: number | null;
  completed: number | null;
}

function profile(company: SyntheticCompany, i: number): Profile {
  const random = randomFor(company.seed, 1, i);
  const soleTrader = random.chance(0.05);
  const listed = soleTrader ? 1 : random.int(1, 3);
  if (milestoneCount(company, i) === 0) return { soleTrader, listed, signup: null, completed: null };
  const latest = company.now - HOUR;
  const signup = Math.floor((latest - random.between(1, 365) * DAY) / 1000) * 1000;
  const completes = random.chance(0.75) && milestoneCount(company, i) >= 2;
  const completedAt = Math.floor((signup + random.between(3, 70) * DAY) / 1000) * 1000;
  return { soleTrader, listed, signup, completed: completes && completedAt < latest ? completedAt : null };
}

/** Milestones are spread evenly: customer i gets ⌊M/C⌋, the first M mod C one more. */
function milestoneCount(company: SyntheticCompany, i: number): number {
  const { customers, milestones } = company.size;
  const base = Math.floor(milestones / customers);
  return base + (i <= milestones % customers ? 1 : 0);
}

export function customerAt(company: SyntheticCompany, i: number): Customer {
  const p = profile(company, i);
  if (p.soleTrader) {
    return { id: customerId(i), name: `Sole trader ${i}`, emails: [soleTraderEmail(i)], domains: [] };
  }
  const emails = Array.from({ length: p.listed }, (_, k) => `person${k}@${domainOf(i)}`);
  return { id: customerId(i), name: `Company ${i}`, emails, domains: [domainOf(i)] };
}

const soleTraderEmail = (i: number) => `owner${i}@${FREE_MAIL[i % FREE_MAIL.length]}`;

export function milestonesOf(company: SyntheticCompany, i: number): Milestone[] {
  const p = profile(company, i);
  const count = milestoneCount(company, i);
  if (p.signup === null || count === 0) return [];
  const id = customerId(i);
  const out: Milestone[] = [{ customerId: id, milestone: START, occurredAt: p.signup }];
  if (p.completed !== null) out.push({ customerId: id, milestone: COMPLETION, occurredAt: p.completed });
  // Fillers an hour apart after the signup: distinct keys, and before "now".
  for (let k = 0; out.length < count; k += 1) {
    const occurredAt = p.signup + (k + 1) * HOUR;
    out.push({ customerId: id, milestone: FILLER[k % FILLER.length]!, occurredAt });
  }
  return out;
}

export function* customerBatches(company: SyntheticCompany, batch: number): Generator<Customer[]> {
  for (let from = 1; from <= company.size.customers; from += batch) {
    const to = Math.min(company.size.customers, from + batch - 1);
    const part: Customer[] = [];
    for (let i = from; i <= to; i += 1) part.push(customerAt(company, i));
    yield part;
  }
}

export function* milestoneBatches(company: SyntheticCompany, batch: number): Generator<Milestone[]> {
  let part: Milestone[] = [];
  for (let i = 1; i <= company.size.customers; i += 1) {
    part.push(...milestonesOf(company, i));
    if (part.length >= batch) {
      yield part;
      part = [];
    }
  }
  if (part.length > 0) yield part;
}

export interface RawExportPage {
  tickets: Record<string, unknown>[];
  users: Record<string, unknown>[];
  organizations: Record<string, unknown>[];
}

/**
 * Tickets `from`..`to` (inclusive) as one export page with its sideloads. Tickets past the
 * history (`j > size.tickets`: the incremental ones) are created in the last day.
 */
export function exportPage(company: SyntheticCompany, from: number, to: number): RawExportPage {
  const users = new Map<number, Record<string, unknown>>();
  const organizations = new Map<number, Record<string, unknown>>();
  const tickets: Record<string, unknown>[] = [];
  for (let j = from; j <= to; j += 1) tickets.push(ticketAt(company, j, users, organizations));
  return { tickets, users: [...users.values()], organizations: [...organizations.values()] };
}

function ticketAt(
  company: SyntheticCompany,
  j: number,
  users: Map<number, Record<string, unknown>>,
  organizations: Map<number, Record<string, unknown>>,
): Record<string, unknown> {
  const random = randomFor(company.seed, 2, j);
  const i = ticketingCustomer(company, random);
  const p = profile(company, i);
  const latest = company.now - HOUR;
  const created = Math.floor(createdAt(random, p, latest, j > company.size.tickets) / 1000) * 1000;
  const updated = Math.min(latest, created + random.int(0, 3 * 24) * HOUR);
  const requester = requesterFor(random, company, i, p, j, users, organizations);
  const reason = random.weighted(REASON_WEIGHTS);
  const spam = random.chance(0.004);
  const template = spam ? random.pick(SPAM_TEXTS) : random.pick(TICKET_TEXTS[reason] ?? []);
  const text = fillText(template, {
    first: 'Alex',
    company: `Company ${i}`,
    product: 'Fieldnote',
    n: String(random.int(2, 400)),
    month: 'March',
    amount: `€${random.int(29, 990)}.00`,
  });
  const tags = [...(text.tags ?? [])];
  const reasonTag = REASON_TAGS[reason];
  if (reasonTag && random.chance(0.3)) tags.push(reasonTag);
  if (random.chance(0.003)) tags.push('closed_by_merge');
  const status = spam ? 'deleted' : updated < latest - 14 * DAY ? 'closed' : random.pick(['open', 'solved']);
  return {
    url: `https://bench.zendesk.com/api/v2/tickets/${j}.json`,
    id: j,
    external_id: null,
    via: { channel: 'email', source: { from: {}, to: {}, rel: null } },
    created_at: zendeskTime(created),
    updated_at: zendeskTime(updated),
    generated_timestamp: Math.floor(updated / 1000),
    type: 'question',
    subject: text.subject,
    raw_subject: text.subject,
    description: text.body,
    priority: 'normal',
    status,
    requester_id: requester.id,
    submitter_id: requester.id,
    assignee_id: random.pick(AGENT_IDS),
    organization_id: requester.organization_id ?? null,
    tags,
    custom_fields: [{ id: PLAN_FIELD, value: random.pick(['starter', 'growth', 'enterprise', null]) }],
    is_public: true,
  };
}

/**
 * Most customers never write (the metric is about them); those who do write a skewed number of
 * tickets, a few customers many. A quiet customer drawn is redrawn, a bounded number of times.
 */
function ticketingCustomer(company: SyntheticCompany, random: Random): number {
  const count = company.size.customers;
  let i = 1;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    i = 1 + Math.floor(count * random.next() ** 1.5);
    if (!isQuiet(company, i)) return i;
  }
  return i;
}

const isQuiet = (company: SyntheticCompany, i: number) => randomFor(company.seed, 3, i).chance(0.5);

function createdAt(random: Random, p: Profile, latest: number, recent: boolean): number {
  if (recent) return latest - random.between(0, 1) * DAY;
  if (p.signup === null) return latest - random.between(0, 365) * DAY;
  // Most tickets fall in the window (onboarding plus the buffer), some long after it.
  const end = Math.min(latest, (p.completed ?? latest) + 14 * DAY);
  const t = random.chance(0.85)
    ? p.signup + random.next() * (end - p.signup)
    : end + random.between(1, 90) * DAY;
  return Math.min(latest, Math.max(p.signup + 60_000, t));
}

/**
 * Who filed ticket j: mostly a listed person (links by e-mail); a colleague nobody listed (by
 * domain); a user carrying the customer id as external id; an agency contact in an
 * organization whose external id is the customer id; a stranger (unlinked); an agent (outbound).
 */
function requesterFor(
  random: Random,
  _company: SyntheticCompany,
  i: number,
  p: Profile,
  j: number,
  users: Map<number, Record<string, unknown>>,
  organizations: Map<number, Record<string, unknown>>,
): Record<string, unknown> & { id: number } {
  const how = random.weighted([
    ['listed', 60],
    ['colleague', p.soleTrader ? 0 : 15],
    ['external_id', 10],
    ['organization', 7],
    ['stranger', 5],
    ['agent', 3],
  ] as const);
  const base = 1_000_000 + i * 8;
  let user: Record<string, unknown> & { id: number };
  if (how === 'agent') {
    const id = random.pick(AGENT_IDS);
    user = { id, name: `Agent ${id}`, email: `agent${id}@fieldnote.app`, role: 'agent', external_id: null };
  } else if (how === 'stranger') {
    const id = 9_000_000_000 + j;
    user = { id, name: 'Stranger', email: `stranger${j}@${random.pick(FREE_MAIL)}`, role: 'end-user' };
  } else if (how === 'organization') {
    const orgId = 5_000_000 + i;
    organizations.set(orgId, {
      id: orgId,
      name: `Company ${i}`,
      external_id: customerId(i),
      domain_names: [],
    });
    user = { id: base + 6, email: `contact${i}@${AGENCY}`, role: 'end-user', organization_id: orgId };
  } else if (how === 'external_id') {
    user = {
      id: base + 5,
      email: `user${i}@${random.pick(FREE_MAIL)}`,
      role: 'end-user',
      external_id: customerId(i),
    };
  } else if (how === 'colleague') {
    const k = random.int(3, 4);
    user = { id: base + k, email: `colleague${k}@${domainOf(i)}`, role: 'end-user' };
  } else {
    const k = random.int(0, p.listed - 1);
    user = {
      id: base + k,
      email: p.soleTrader ? soleTraderEmail(i) : `person${k}@${domainOf(i)}`,
      role: 'end-user',
    };
  }
  const full = { name: `User ${user.id}`, external_id: null, organization_id: null, ...user };
  users.set(full.id, full);
  return full;
}
