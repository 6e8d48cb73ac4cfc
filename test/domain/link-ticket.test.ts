import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CustomerIdentityIndex, IdentityLookup } from '../../src/domain/link-ticket.js';
import {
  emailDomain,
  FREE_MAIL_DOMAINS,
  identityLookupFor,
  isFreeMailDomain,
  linkTicket,
} from '../../src/domain/link-ticket.js';
import type { LinkMethod } from '../../src/domain/status-types.js';
import type { Requester } from '../../src/domain/ticket.js';
import type * as store from '../../src/store/store.js';

function requester(overrides: Partial<Requester>): Requester {
  return { id: 'u1', externalId: null, email: null, organizationExternalIds: [], ...overrides };
}

const index: CustomerIdentityIndex = {
  byId: new Set(['cust-1', 'org-9', 'ACME']),
  byEmail: new Map([
    ['bob@acme.io', 'cust-2'],
    ['jane@gmail.com', 'cust-3'],
  ]),
  byDomain: new Map([
    ['acme.io', 'cust-2'],
    ['gmail.com', 'cust-4'],
    ['globex.com', 'cust-5'],
  ]),
};

describe('linkTicket', () => {
  it.each<[string, Partial<Requester>, string | null, LinkMethod]>([
    [
      'external id first',
      { externalId: 'cust-1', email: 'bob@acme.io', organizationExternalIds: ['org-9'] },
      'cust-1',
      'external_id',
    ],
    ['external ids are case-sensitive', { externalId: 'CUST-1', email: 'bob@acme.io' }, 'cust-2', 'email'],
    [
      'unknown external id falls to e-mail',
      { externalId: 'nobody', email: 'bob@acme.io' },
      'cust-2',
      'email',
    ],
    ['e-mail compared lower-cased and trimmed', { email: ' Bob@ACME.io ' }, 'cust-2', 'email'],
    ['e-mail before domain', { email: 'bob@acme.io', organizationExternalIds: ['org-9'] }, 'cust-2', 'email'],
    ['domain of a colleague', { email: 'alice@acme.io' }, 'cust-2', 'domain'],
    ['domain compared lower-cased', { email: 'alice@Globex.COM' }, 'cust-5', 'domain'],
    [
      'domain before organization',
      { email: 'alice@globex.com', organizationExternalIds: ['org-9'] },
      'cust-5',
      'domain',
    ],
    ['subdomains are other domains', { email: 'alice@eu.acme.io' }, null, 'none'],
    ['free-mail domain never links, even when listed', { email: 'someone@gmail.com' }, null, 'none'],
    [
      'free-mail domain falls to organization',
      { email: 'someone@GMAIL.com', organizationExternalIds: ['org-9'] },
      'org-9',
      'organization',
    ],
    ['a listed free-mail address links by e-mail', { email: 'jane@gmail.com' }, 'cust-3', 'email'],
    [
      'first known organization in list order',
      { organizationExternalIds: ['nope', 'org-9', 'ACME'] },
      'org-9',
      'organization',
    ],
    ['organization ids are case-sensitive', { organizationExternalIds: ['acme'] }, null, 'none'],
    [
      'external id before organization',
      { externalId: 'ACME', organizationExternalIds: ['org-9'] },
      'ACME',
      'external_id',
    ],
    ['not an address', { email: 'bob-at-acme.io' }, null, 'none'],
    ['nothing known', {}, null, 'none'],
  ])('%s', (_name, overrides, customerId, method) => {
    expect(linkTicket(requester(overrides), index)).toEqual({ customerId, method });
  });
});

describe('emailDomain', () => {
  it.each<[string | null, string | null]>([
    ['Bob@Acme.IO', 'acme.io'],
    ['  a@b.example  ', 'b.example'],
    ['"x@y"@example.com', 'example.com'],
    ['no-at-sign', null],
    ['@acme.io', null],
    ['bob@', null],
    ['bob smith@acme.io', null],
    ['', null],
    [null, null],
  ])('%j → %j', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });
});

describe('FREE_MAIL_DOMAINS', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'msn.com',
    'yahoo.com',
    'ymail.com',
    'icloud.com',
    'me.com',
    'mac.com',
    'aol.com',
    'proton.me',
    'protonmail.com',
    'pm.me',
    'gmx.com',
    'gmx.de',
    'mail.com',
    'zoho.com',
    'yandex.com',
    'yandex.ru',
    'qq.com',
    '163.com',
    'hey.com',
    'fastmail.com',
    'tutanota.com',
    'web.de',
  ])('holds %s', (domain) => {
    expect(FREE_MAIL_DOMAINS.has(domain)).toBe(true);
  });

  it.each([
    ['GMAIL.COM', true],
    [' proton.me ', true],
    ['mail.google.com', false],
    ['acme.io', false],
  ])('isFreeMailDomain(%j) is %s (exact, lower-cased)', (domain, expected) => {
    expect(isFreeMailDomain(domain)).toBe(expected);
  });
});

describe('identityLookupFor', () => {
  it.each<[string, Partial<Requester>[], IdentityLookup]>([
    ['nobody', [], { externalIds: [], emails: [], domains: [] }],
    [
      'ids verbatim, e-mails and domains lower-cased, all deduplicated',
      [
        { externalId: 'Cust-1', email: 'Bob@Acme.io', organizationExternalIds: ['ORG-9', 'Cust-1'] },
        { externalId: 'cust-1', email: 'bob@acme.io' },
        { email: 'alice@ACME.io', organizationExternalIds: ['ORG-9'] },
      ],
      {
        externalIds: ['Cust-1', 'ORG-9', 'cust-1'],
        emails: ['bob@acme.io', 'alice@acme.io'],
        domains: ['acme.io'],
      },
    ],
    [
      'free-mail domains are not looked up, their addresses are',
      [{ email: 'jane@gmail.com' }, { email: 'joe@Outlook.com' }],
      { externalIds: [], emails: ['jane@gmail.com', 'joe@outlook.com'], domains: [] },
    ],
    [
      'blank ids and non-addresses are skipped',
      [{ externalId: '', email: 'not an address', organizationExternalIds: [''] }],
      { externalIds: [], emails: [], domains: [] },
    ],
  ])('%s', (_name, requesters, expected) => {
    expect(identityLookupFor(requesters.map(requester))).toEqual(expected);
  });
});

describe('shapes shared with the store port', () => {
  it('match structurally', () => {
    expectTypeOf<IdentityLookup>().toEqualTypeOf<store.IdentityLookup>();
    expectTypeOf<CustomerIdentityIndex>().toEqualTypeOf<store.CustomerIdentityIndex>();
  });
});
