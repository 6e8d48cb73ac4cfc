import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileTaxonomy } from '../../src/domain/classify.js';
import type { Reason } from '../../src/domain/reason.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { linkAndClassify, reclassifyIfTaxonomyChanged } from '../../src/jobs/handlers/link-classify.js';
import { listTaxonomyChanges, readActiveChange } from '../../src/jobs/handlers/taxonomy-state.js';
import { silentLogger } from '../../src/logger.js';
import type { ClassifiedTicketRow, Store } from '../../src/store/store.js';
import { DAY, page, status, T0, ticket } from '../store/fixtures.js';
import { DIALECTS, type OpenedStore } from './store-harness.js';

function reason(id: string, keywords: string[], extra: Partial<Reason> = {}): Reason {
  return { id, title: id, owner: `U_${id}`, match: { keywords }, countsTowardMetric: true, ...extra };
}

const V1 = [reason('billing', ['refund']), reason('login', ['password']), reason('bug', ['crash'])];

function text(ticketId: string, body: string, extra: Partial<Ticket> = {}): Ticket {
  return ticket(ticketId, { text: body, subject: body, tags: [], fields: {}, ...extra });
}

const HISTORY = [
  text('1', 'refund please'),
  text('2', 'I want a refund'),
  text('3', 'refund for March'),
  text('4', 'password reset fails'),
  text('5', 'forgot my password'),
  text('6', 'csv import stuck'),
  text('7', 'the csv import failed'),
  text('8', 'app crash on export'),
];

describe.each(DIALECTS)('the reason loop on %s', (_dialect, open) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    await store.commitSyncPage(page({ tickets: HISTORY }));
  });
  afterEach(async () => {
    await opened.close();
  });

  const classify = (reasons: Reason[]) =>
    linkAndClassify({
      store,
      logger: silentLogger(),
      taxonomy: compileTaxonomy(reasons),
      now: () => T0,
      progress: () => {},
    });
  const verdicts = async (): Promise<
    Record<string, Pick<ClassifiedTicketRow, 'reasonId' | 'classifiedBy' | 'detail'>>
  > => {
    const rows = await store.listClassifiedTickets({ limit: 100 });
    return Object.fromEntries(
      rows.map((r) => [r.ticketId, { reasonId: r.reasonId, classifiedBy: r.classifiedBy, detail: r.detail }]),
    );
  };

  it('a manual reason survives a resync and a reclassification', async () => {
    await classify(V1);
    expect((await verdicts())['1']).toEqual({
      reasonId: 'billing',
      classifiedBy: 'rule',
      detail: 'rule:keyword:refund',
    });

    expect(await store.setManualReason({ source: 'zendesk', ticketId: '1' }, 'login', 'ana', T0)).toBe(true);
    await classify(V1);
    const corrected = { reasonId: 'login', classifiedBy: 'manual', detail: 'manual:ana' };
    expect((await verdicts())['1']).toEqual(corrected);

    // The helpdesk sends the ticket again, changed: it is pending, and the correction still wins.
    await store.commitSyncPage(
      page({ cursor: 'cursor-2', tickets: [text('1', 'refund refund refund', { updatedAt: T0 + 5000 })] }),
    );
    await classify(V1);
    expect((await verdicts())['1']).toEqual(corrected);

    // A taxonomy edit sends all history back through classification: still the correction.
    await classify([...V1, reason('refunds', ['refund refund'])]);
    expect((await verdicts())['1']).toEqual(corrected);
    expect(await store.listManualReasons()).toEqual([
      { source: 'zendesk', ticketId: '1', reasonId: 'login', author: 'ana', createdAt: T0 },
    ]); // The warehouse row carries why (zt_tickets.reason_detail).
    const exported = await store.listUnexportedTickets(100);
    expect(exported.find((r) => r.ticketId === '1')).toMatchObject({
      reasonId: 'login',
      reasonDetail: 'manual:ana',
    });
    expect(exported.find((r) => r.ticketId === '4')).toMatchObject({ reasonDetail: 'rule:keyword:password' });
  });

  it('a taxonomy edit reclassifies history and logs how many tickets moved where', async () => {
    await classify(V1);
    const v2 = [reason('billing', ['refund']), reason('login', ['password']), reason('data_import', ['csv'])];
    await classify(v2);

    const v = await verdicts();
    expect([v['6']?.reasonId, v['7']?.reasonId, v['8']?.reasonId]).toEqual([
      'data_import',
      'data_import',
      'unclassified',
    ]);
    const [change] = await listTaxonomyChanges(store);
    expect(change).toMatchObject({
      added: ['data_import'],
      removed: ['bug'],
      renamed: [],
      moves: { 'unclassified→data_import': 2, 'bug→unclassified': 1 },
      renamedTickets: 0,
      unchanged: 5,
      orphanedCorrections: [],
    });
    expect(await readActiveChange(store)).toBeNull();

    // The same taxonomy again is not a change.
    await classify(v2);
    expect(await listTaxonomyChanges(store)).toHaveLength(1);
  });

  it('renamedFrom keeps history: tickets and corrections move to the new id without counting as moves', async () => {
    await classify(V1);
    await store.setManualReason({ source: 'zendesk', ticketId: '8' }, 'login', 'bo', T0);
    await classify(V1);

    const v2 = [
      reason('billing', ['refund']),
      reason('sign_in', ['password'], { renamedFrom: ['login'] }),
      reason('bug', ['crash']),
    ];
    await classify(v2);
    const v = await verdicts();
    expect([v['4'], v['5'], v['8']].map((x) => x?.reasonId)).toEqual(['sign_in', 'sign_in', 'sign_in']);
    const [change] = await listTaxonomyChanges(store);
    expect(change).toMatchObject({
      renamed: [{ from: 'login', to: 'sign_in' }],
      moves: {},
      renamedTickets: 3,
      removed: [],
    });
    expect((await store.listManualReasons()).map((m) => m.reasonId)).toEqual(['sign_in']);

    // Later the renamedFrom is tidied away: the correction was moved, so it still holds.
    await classify(v2.map((r) => ({ ...r, renamedFrom: [] })));
    expect((await verdicts())['8']).toEqual({
      reasonId: 'sign_in',
      classifiedBy: 'manual',
      detail: 'manual:bo',
    });
  });

  it("a removed reason's tickets go back through the rules; its corrections are reported and kept", async () => {
    await store.setManualReason({ source: 'zendesk', ticketId: '1' }, 'bug', 'cy', T0);
    await classify(V1);
    expect((await verdicts())['1']?.reasonId).toBe('bug');

    await classify(V1.filter((r) => r.id !== 'bug'));
    expect((await verdicts())['1']).toEqual({
      reasonId: 'billing',
      classifiedBy: 'rule',
      detail: 'rule:keyword:refund',
    });
    const [change] = await listTaxonomyChanges(store);
    expect(change?.orphanedCorrections).toEqual([{ ticket: 'zendesk/1', reasonId: 'bug' }]);
    expect(change?.moves).toEqual({ 'bug→billing': 1, 'bug→unclassified': 1 });
    expect(await store.listManualReasons()).toHaveLength(1);

    await classify(V1);
    expect((await verdicts())['1']?.classifiedBy).toBe('manual');
  });

  it('a second edit before the first was reclassified logs the first as it stood, then the second', async () => {
    await classify(V1);
    // The first edit is noticed (history marked pending) but never reclassified: a crash, say.
    await reclassifyIfTaxonomyChanged(store, [...V1, reason('data_import', ['csv'])], silentLogger(), T0);
    await classify([...V1, reason('data_import', ['csv', 'import'])]);
    const changes = await listTaxonomyChanges(store);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({ added: ['data_import'], moves: {} });
    expect(changes[0]).toMatchObject({ added: [], moves: { 'unclassified→data_import': 2 }, unchanged: 6 });
  });

  it("answers the owner's questions: tickets per reason, lost zeros, what to reclassify", async () => {
    await store.commitSyncPage(
      page({
        cursor: 'cursor-2',
        tickets: [
          text('9', 'refund, deleted', { deleted: true }),
          text('10', 'refund', { createdAt: T0 + DAY }),
        ],
      }),
    );
    await classify(V1);
    expect(await store.countTicketsByReason(T0, T0 + 1)).toEqual([
      { reasonId: 'billing', tickets: 3 },
      { reasonId: 'bug', tickets: 1 },
      { reasonId: 'login', tickets: 2 },
      { reasonId: 'unclassified', tickets: 2 },
    ]);
    expect(await store.countTicketsByReason(T0 + 1, T0 + 2 * DAY)).toEqual([
      { reasonId: 'billing', tickets: 1 },
    ]);

    const had = (customerId: string, firstTicketReason: string | null) =>
      status(customerId, {
        status: 'had_tickets',
        countingTickets: 1,
        firstTicketId: '1',
        firstTicketReason,
      });
    await store.saveCustomerResults(
      ['a', 'b', 'c', 'd'],
      [
        { status: had('a', 'billing'), tickets: [] },
        { status: had('b', 'billing'), tickets: [] },
        { status: had('c', 'login'), tickets: [] },
        { status: status('d', { status: 'zero_tickets' }), tickets: [] },
      ],
      T0,
    );
    expect(await store.countLostZeroByReason()).toEqual([
      { reasonId: 'billing', customers: 2 },
      { reasonId: 'login', customers: 1 },
    ]);

    expect(await store.markTicketsPendingClassifiedBy(['none'])).toBe(2);
    expect((await store.listPendingTickets(10)).map((p) => [p.ticket.ticketId, p.currentReasonId])).toEqual([
      ['6', 'unclassified'],
      ['7', 'unclassified'],
    ]);
    expect(await store.listClassifiedTickets({ reasonId: 'billing', from: T0 + 1, limit: 10 })).toMatchObject(
      [{ ticketId: '10', reasonId: 'billing', detail: 'rule:keyword:refund', classifiedBy: 'rule' }],
    );
  });

  it('an agent corrects from the helpdesk with a prefixed tag', async () => {
    await store.commitSyncPage(
      page({ cursor: 'cursor-2', tickets: [text('2', 'I want a refund', { tags: ['zt_reason_bug'] })] }),
    );
    await classify(V1);
    expect((await verdicts())['2']).toEqual({
      reasonId: 'bug',
      classifiedBy: 'tag',
      detail: 'tag:zt_reason_bug',
    });
  });
});
