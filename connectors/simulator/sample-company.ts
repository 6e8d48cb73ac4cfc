import type { Customer, Milestone } from '../../src/domain/customer.js';
import { createRandom, type Random } from './random.js';
import { buildIntercom, type SampleIntercom } from './sample-intercom.js';
import {
  COMPANY_KINDS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  FREE_MAIL,
  LAST_NAMES,
  SOLE_TRADES,
  TLDS,
} from './sample-names.js';
import type { CustomerProfile, Person } from './sample-profile.js';
import { buildZendesk, type SampleZendesk } from './sample-zendesk.js';

/** The seed `zerotickets demo` uses. */
export const SAMPLE_SEED = 1161;
export const DAY_MS = 86_400_000;
/** The milestones of the example config (`metric.startMilestone`, `metric.completionMilestone`). */
export const START_MILESTONE = 'signed_up';
export const COMPLETION_MILESTONE = 'onboarding_completed';

export interface SampleCompanyOptions {
  seed: number;
  /** Epoch ms: everything happened before it. */
  now: number;
  customers?: number;
}

export interface SampleCompany {
  seed: number;
  now: number;
  customers: Customer[];
  milestones: Milestone[];
  zendesk: SampleZendesk;
  intercom: SampleIntercom;
}

/** Mixed into the seed for the Intercom workspace's own random stream (keeps Zendesk unchanged). */
const INTERCOM_STREAM = 0x1c7e3c0;

/**
 * A company that sells software and onboards its customers, deterministic in (seed, now): its
 * customers, their onboarding milestones over the last ~8 months, and the Zendesk account and
 * Intercom workspace their support tickets live in (some customers use one, some both).
 */
export function generateSampleCompany(options: SampleCompanyOptions): SampleCompany {
  const random = createRandom(options.seed);
  const now = Math.floor(options.now / 1000) * 1000;
  const profiles = makeCustomers(random, options.customers ?? 300);
  const milestones = profiles.flatMap((profile) => makeMilestones(random, profile, now));
  const zendesk = buildZendesk(random, profiles, now);
  return {
    seed: options.seed,
    now,
    customers: profiles.map((p) => p.customer),
    milestones,
    zendesk,
    intercom: buildIntercom(
      createRandom(options.seed ^ INTERCOM_STREAM),
      profiles,
      now,
      withTickets(profiles, zendesk),
    ),
  };
}

function makeCustomers(random: Random, count: number): CustomerProfile[] {
  const names = new Set<string>();
  const profiles: CustomerProfile[] = [];
  for (let i = 1; i <= count; i += 1) {
    const id = `cus_${String(i).padStart(4, '0')}`;
    const soleTrader = random.chance(0.05);
    const person = (domain: string): Person => {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      return { name: `${first} ${last}`, email: `${first}.${last}@${domain}`.toLowerCase() };
    };
    if (soleTrader) {
      // Free-mail only: they link by e-mail, never by domain.
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const trade = random.pick(SOLE_TRADES);
      const email = `${first}.${last}.${trade}${random.int(1, 99)}@${random.pick(FREE_MAIL)}`.toLowerCase();
      profiles.push({
        customer: { id, name: unique(names, `${first} ${last} ${trade}`), emails: [email], domains: [] },
        people: [{ name: `${first} ${last}`, email }],
        colleagues: [],
        signup: null,
        completed: null,
      });
      continue;
    }
    const name = unique(
      names,
      `${random.pick(COMPANY_PREFIXES)}${random.pick(COMPANY_SUFFIXES)} ${random.pick(COMPANY_KINDS)}`,
    );
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${random.pick(TLDS)}`;
    const people = dedupe(Array.from({ length: random.int(1, 3) }, () => person(domain)));
    const colleagues = dedupe(Array.from({ length: random.int(0, 2) }, () => person(domain))).filter(
      (c) => !people.some((p) => p.email === c.email),
    );
    profiles.push({
      customer: { id, name, emails: people.map((p) => p.email), domains: [domain] },
      people,
      colleagues,
      signup: null,
      completed: null,
    });
  }
  return profiles;
}

/**
 * signed_up over the last ~8 months; connected_data and invited_team in the first weeks;
 * onboarding_completed for most (some only after the stall threshold), never for others.
 * A few customers have no milestone yet (not started).
 */
function makeMilestones(random: Random, profile: CustomerProfile, now: number): Milestone[] {
  if (random.chance(0.03)) return [];
  const customerId = profile.customer.id;
  const at = (ms: number) => Math.floor(ms / 1000) * 1000;
  const signup = at(now - random.between(1, 240) * DAY_MS);
  profile.signup = signup;
  const milestones: Milestone[] = [{ customerId, milestone: START_MILESTONE, occurredAt: signup }];
  const add = (milestone: string, daysAfter: number): number | null => {
    const occurredAt = at(signup + daysAfter * DAY_MS);
    if (occurredAt >= now - 3_600_000) return null;
    milestones.push({ customerId, milestone, occurredAt });
    return occurredAt;
  };
  if (random.chance(0.9)) add('connected_data', random.between(0.1, 6));
  if (random.chance(0.75)) add('invited_team', random.between(1, 15));
  const pace = random.weighted([
    ['fast', 70],
    ['slow', 10],
    ['never', 20],
  ] as const);
  if (pace !== 'never') {
    const days = pace === 'fast' ? random.between(4, 40) : random.between(61, 110);
    profile.completed = add(COMPLETION_MILESTONE, days);
  }
  return milestones;
}

/** The customers whose people (listed or colleagues) requested a Zendesk ticket. */
function withTickets(profiles: CustomerProfile[], zendesk: SampleZendesk): Set<string> {
  const customerOf = new Map(
    profiles.flatMap((p) =>
      [...p.people, ...p.colleagues].map((person) => [person.email, p.customer.id] as const),
    ),
  );
  const emailOf = new Map(zendesk.users.map((u) => [u.id, u.email]));
  const ids = zendesk.tickets.map((t) => customerOf.get(emailOf.get(t.requester_id) ?? ''));
  return new Set(ids.filter((id): id is string => id !== undefined));
}

function unique(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${name} ${n}`;
  taken.add(candidate);
  return candidate;
}

function dedupe(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => !seen.has(p.email) && seen.add(p.email) !== undefined);
}
