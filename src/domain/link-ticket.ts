import type { LinkMethod } from './status-types.js';
import type { Requester } from './ticket.js';

/**
 * E-mail domains shared by unrelated people. A requester's domain on this list never links a
 * ticket, even when a customer lists the domain: `alice@gmail.com` says nothing about which
 * company Alice works for. Matched exactly on the lower-cased domain (no subdomain logic).
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  '163.com',
  '126.com',
  'aim.com',
  'aol.com',
  'fastmail.com',
  'fastmail.fm',
  'gmail.com',
  'gmx.at',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hey.com',
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.de',
  'hotmail.fr',
  'icloud.com',
  'live.com',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'outlook.de',
  'pm.me',
  'proton.me',
  'protonmail.ch',
  'protonmail.com',
  'qq.com',
  't-online.de',
  'tuta.io',
  'tutanota.com',
  'web.de',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.de',
  'yahoo.fr',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  'zoho.com',
]);

/**
 * Which identities to look up for a batch of requesters (structurally the store's
 * `IdentityLookup`, declared here because `src/domain` imports nothing outside itself).
 */
export interface IdentityLookup {
  externalIds: string[];
  emails: string[];
  domains: string[];
}

/**
 * Lower-cased identity → customer id, as the store answers an {@link IdentityLookup}
 * (structurally the store's `CustomerIdentityIndex`). `byId` holds customer ids verbatim.
 */
export interface CustomerIdentityIndex {
  byId: ReadonlySet<string>;
  byEmail: ReadonlyMap<string, string>;
  byDomain: ReadonlyMap<string, string>;
}

/** Where a ticket belongs: a customer id and how it was found, or null and `none`. */
export interface TicketLink {
  customerId: string | null;
  method: LinkMethod;
}

/**
 * The trimmed, lower-cased e-mail address, or null when `email` is not an address
 * (blank, no `@`, nothing before or after the last `@`, or whitespace inside).
 */
export function normalizeEmail(email: string | null): string | null {
  if (email === null) return null;
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || /\s/u.test(address)) return null;
  return address;
}

/** The lower-cased part after the last `@`, or null when `email` is not an address. */
export function emailDomain(email: string | null): string | null {
  const address = normalizeEmail(email);
  return address === null ? null : address.slice(address.lastIndexOf('@') + 1);
}

/** True when the domain is on {@link FREE_MAIL_DOMAINS} (compared lower-cased). */
export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.trim().toLowerCase());
}

/**
 * Every identity that could link one of `requesters`, deduplicated: requester and
 * organization external ids (verbatim: ids are case-sensitive, blanks dropped), lower-cased
 * e-mail addresses, and their domains except free-mail ones.
 */
export function identityLookupFor(requesters: readonly Requester[]): IdentityLookup {
  const externalIds = new Set<string>();
  const emails = new Set<string>();
  const domains = new Set<string>();
  for (const requester of requesters) {
    for (const id of [requester.externalId, ...requester.organizationExternalIds]) {
      if (id !== null && id !== '') externalIds.add(id);
    }
    const email = normalizeEmail(requester.email);
    if (email === null) continue;
    emails.add(email);
    const domain = emailDomain(email);
    if (domain !== null && !FREE_MAIL_DOMAINS.has(domain)) domains.add(domain);
  }
  return { externalIds: [...externalIds], emails: [...emails], domains: [...domains] };
}

/**
 * Links a ticket's requester to a customer; the first match wins:
 * 1. `external_id`: the requester's external id is a customer id;
 * 2. `email`: the requester's (lower-cased) e-mail is one of a customer's e-mails;
 * 3. `domain`: the requester's e-mail domain is one of a customer's domains, unless it is a
 *    free-mail domain (those never link, even when a customer lists one);
 * 4. `organization`: one of the requester's organization external ids is a customer id (the
 *    first in the requester's list that is);
 * otherwise `{ customerId: null, method: 'none' }`.
 */
export function linkTicket(requester: Requester, index: CustomerIdentityIndex): TicketLink {
  if (requester.externalId !== null && index.byId.has(requester.externalId)) {
    return { customerId: requester.externalId, method: 'external_id' };
  }
  const email = normalizeEmail(requester.email);
  if (email !== null) {
    const byEmail = index.byEmail.get(email);
    if (byEmail !== undefined) return { customerId: byEmail, method: 'email' };
    const domain = emailDomain(email);
    const byDomain =
      domain === null || FREE_MAIL_DOMAINS.has(domain) ? undefined : index.byDomain.get(domain);
    if (byDomain !== undefined) return { customerId: byDomain, method: 'domain' };
  }
  const organization = requester.organizationExternalIds.find((id) => index.byId.has(id));
  if (organization !== undefined) return { customerId: organization, method: 'organization' };
  return { customerId: null, method: 'none' };
}
