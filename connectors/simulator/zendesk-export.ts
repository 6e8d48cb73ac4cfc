/**
 * The paging rules of Zendesk's cursor-based incremental ticket export, as pure functions —
 * developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/:
 * tickets in `generated_timestamp` order; `start_time` on the first request, `cursor` after;
 * nothing changed in the last minute is returned; `end_of_stream` once the page reaches "now".
 */

/** What the simulator keeps of a ticket: the raw JSON, with the two keys the export needs. */
export type StoredTicket = Record<string, unknown> & { id: number; generated_timestamp: number };

/** A place in the export: after the ticket (ts, id). */
export interface ExportPosition {
  ts: number;
  id: number;
}

export type ExportFrom = { startTime: number } | { after: ExportPosition };

export interface ExportSlice {
  tickets: StoredTicket[];
  /** Where the next page starts (the last ticket returned, or where this one started). */
  after: ExportPosition;
  endOfStream: boolean;
}

/** Zendesk leaves out everything changed in the last minute. */
export const LAG_SECONDS = 60;

export function exportSlice(
  tickets: Iterable<StoredTicket>,
  from: ExportFrom,
  nowSeconds: number,
  pageSize: number,
): ExportSlice {
  const start: ExportPosition = 'after' in from ? from.after : { ts: from.startTime, id: -1 };
  const visibleUntil = nowSeconds - LAG_SECONDS;
  const eligible = [...tickets]
    .filter((t) => t.generated_timestamp <= visibleUntil && isAfter(t, start))
    .sort((a, b) => a.generated_timestamp - b.generated_timestamp || a.id - b.id);
  const page = eligible.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    tickets: page,
    after: last ? { ts: last.generated_timestamp, id: last.id } : start,
    endOfStream: eligible.length <= pageSize,
  };
}

function isAfter(ticket: StoredTicket, position: ExportPosition): boolean {
  return (
    ticket.generated_timestamp > position.ts ||
    (ticket.generated_timestamp === position.ts && ticket.id > position.id)
  );
}

/** Shaped like Zendesk's own cursors: base64 of `{ts}.0||{id}|`. Opaque to clients. */
export function encodeExportCursor(position: ExportPosition): string {
  return Buffer.from(`${position.ts}.0||${position.id}|`, 'utf8').toString('base64');
}

export function decodeExportCursor(cursor: string): ExportPosition | null {
  const match = /^(-?\d+)\.0\|\|(-?\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) return null;
  return { ts: Number(match[1]), id: Number(match[2]) };
}

/** The ids a page's sideloads must cover: its requesters and submitters, and their organizations. */
export function referencedIds(
  tickets: readonly StoredTicket[],
  userOrganization: (userId: number) => number | null,
): { userIds: number[]; organizationIds: number[] } {
  const userIds = new Set<number>();
  const organizationIds = new Set<number>();
  const asId = (value: unknown) => (typeof value === 'number' ? value : null);
  for (const ticket of tickets) {
    for (const key of ['requester_id', 'submitter_id'] as const) {
      const id = asId(ticket[key]);
      if (id !== null) userIds.add(id);
    }
    const org = asId(ticket.organization_id);
    if (org !== null) organizationIds.add(org);
  }
  for (const userId of userIds) {
    const org = userOrganization(userId);
    if (org !== null) organizationIds.add(org);
  }
  return { userIds: [...userIds], organizationIds: [...organizationIds] };
}
