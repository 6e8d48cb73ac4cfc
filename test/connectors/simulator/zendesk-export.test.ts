import { describe, expect, it } from 'vitest';
import {
  decodeExportCursor,
  encodeExportCursor,
  exportSlice,
  referencedIds,
  type StoredTicket,
} from '../../../connectors/simulator/zendesk-export.js';

const NOW = 1_000_000;
const t = (id: number, ts: number, extra: Record<string, unknown> = {}): StoredTicket => ({
  id,
  generated_timestamp: ts,
  ...extra,
});
const TICKETS = [t(3, 500), t(1, 500), t(2, 400), t(4, 600), t(5, NOW - 30), t(6, NOW - 60)];
const ids = (tickets: StoredTicket[]) => tickets.map((x) => x.id);

describe('exportSlice', () => {
  it.each([
    ['orders by generated_timestamp, then id', { startTime: 0 }, 10, [2, 1, 3, 4, 6], true],
    ['start_time is inclusive', { startTime: 500 }, 10, [1, 3, 4, 6], true],
    ['pages by size', { startTime: 0 }, 2, [2, 1], false],
    ['a cursor resumes after its ticket', { after: { ts: 500, id: 1 } }, 10, [3, 4, 6], true],
    ['a page exactly full is the end', { after: { ts: 500, id: 1 } }, 3, [3, 4, 6], true],
    ['nothing newer: an empty last page', { after: { ts: NOW - 60, id: 6 } }, 10, [], true],
  ] as const)('%s', (_case, from, size, expected, end) => {
    const slice = exportSlice(TICKETS, from, NOW, size);
    expect(ids(slice.tickets)).toEqual(expected);
    expect(slice.endOfStream).toBe(end);
  });

  it('never returns what changed in the last minute', () => {
    expect(ids(exportSlice(TICKETS, { startTime: 0 }, NOW, 10).tickets)).not.toContain(5);
    expect(ids(exportSlice(TICKETS, { startTime: 0 }, NOW + 31, 10).tickets)).toContain(5);
  });

  it('points the next page after the last ticket, or where it started when empty', () => {
    expect(exportSlice(TICKETS, { startTime: 0 }, NOW, 2).after).toEqual({ ts: 500, id: 1 });
    expect(exportSlice(TICKETS, { startTime: NOW }, NOW, 2).after).toEqual({ ts: NOW, id: -1 });
  });
});

describe('export cursor', () => {
  it('round-trips and looks like a Zendesk cursor', () => {
    const cursor = encodeExportCursor({ ts: 1576613539, id: 467 });
    expect(cursor).toBe('MTU3NjYxMzUzOS4wfHw0Njd8');
    expect(decodeExportCursor(cursor)).toEqual({ ts: 1576613539, id: 467 });
  });

  it('rejects what it did not write', () => {
    expect(decodeExportCursor('bm9wZQ==')).toBeNull();
  });
});

describe('referencedIds', () => {
  it('collects requesters, submitters and their organizations', () => {
    const tickets = [
      t(1, 1, { requester_id: 10, submitter_id: 11, organization_id: 100 }),
      t(2, 1, { requester_id: 10, submitter_id: 10, organization_id: null }),
    ];
    const orgOf = (id: number) => (id === 11 ? 101 : null);
    expect(referencedIds(tickets, orgOf)).toEqual({ userIds: [10, 11], organizationIds: [100, 101] });
  });
});
