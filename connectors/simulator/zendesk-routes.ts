import type { Fault } from './faults.js';
import {
  decodeExportCursor,
  type ExportFrom,
  encodeExportCursor,
  exportSlice,
  referencedIds,
  type StoredTicket,
} from './zendesk-export.js';

/**
 * The simulated Zendesk's read endpoints as functions of its data — shapes from
 * developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ and
 * developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-ticket.
 */
type Json = Record<string, unknown>;
export type ZendeskRecord = Json & { id: number };

export interface ZendeskData {
  tickets: Map<number, StoredTicket>;
  users: Map<number, ZendeskRecord>;
  organizations: Map<number, ZendeskRecord>;
  pageSize: number;
  clock: () => number;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Sent as is instead of `JSON.stringify(body)` (a malformed answer). */
  raw?: string;
  retryAfter?: number;
}

export const UNAUTHENTICATED: Reply = { status: 401, body: { error: "Couldn't authenticate you" } };
export const FORBIDDEN: Reply = {
  status: 403,
  body: {
    error: 'Forbidden',
    description:
      'You do not have access to this page. Please contact the account owner of this help desk for further help.',
  },
};
export const NOT_FOUND: Reply = { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };

/** The cursor-based incremental ticket export, one page (with the export faults applied). */
export function exportPage(
  data: ZendeskData,
  query: URLSearchParams,
  origin: string,
  fault: Fault | undefined,
): Reply {
  const { tickets, users, organizations, pageSize, clock } = data;
  const cursor = query.get('cursor');
  const startTime = query.get('start_time');
  let from: ExportFrom;
  if (cursor) {
    const after = decodeExportCursor(cursor);
    if (!after) return { status: 400, body: { error: 'InvalidValue', description: 'Invalid cursor' } };
    from = { after };
  } else if (startTime && /^\d+$/.test(startTime)) {
    from = { startTime: Number(startTime) };
  } else {
    return {
      status: 400,
      body: { error: 'InvalidValue', description: 'start_time or cursor is required' },
    };
  }
  const perPage = Number(query.get('per_page') ?? pageSize);
  const size = Math.max(1, Math.min(pageSize, Number.isFinite(perPage) ? perPage : pageSize));
  const slice = exportSlice(tickets.values(), from, seconds(clock()), size);
  const again = 'after' in from ? tickets.get(from.after.id) : undefined;
  if (fault?.kind === 'duplicate' && again) slice.tickets.unshift(again);
  if (fault?.kind === 'bad-ticket' && slice.tickets[0]) {
    const { requester_id: _dropped, ...broken } = slice.tickets[0];
    slice.tickets[0] = broken as StoredTicket;
  }
  const include = new Set((query.get('include') ?? '').split(',').filter(Boolean));
  const refs = referencedIds(slice.tickets, (id) => {
    const org = users.get(id)?.organization_id;
    return typeof org === 'number' ? org : null;
  });
  const after = encodeExportCursor(slice.after);
  const url = (c: string) =>
    `${origin}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(c)}${include.size ? `&include=${[...include].join(',')}` : ''}`;
  const body: Json = {
    tickets: slice.tickets,
    after_url: url(after),
    after_cursor: after,
    before_url: cursor ? url(cursor) : null,
    before_cursor: cursor ?? null,
    end_of_stream: slice.endOfStream,
  };
  if (include.has('users')) body.users = refs.userIds.flatMap((id) => users.get(id) ?? []);
  if (include.has('organizations'))
    body.organizations = refs.organizationIds.flatMap((id) => organizations.get(id) ?? []);
  return { status: 200, body };
}

/** Show Ticket with `include=users,organizations`. */
export function showTicket(data: ZendeskData, id: number, query: URLSearchParams): Reply {
  const { tickets, users, organizations } = data;
  const ticket = tickets.get(id);
  // Zendesk: a deleted ticket is gone from Show Ticket (404), though the export still lists it.
  if (!ticket || ticket.status === 'deleted')
    return { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
  const body: Json = { ticket };
  const include = new Set((query.get('include') ?? '').split(','));
  const refs = referencedIds([ticket], (uid) => {
    const org = users.get(uid)?.organization_id;
    return typeof org === 'number' ? org : null;
  });
  if (include.has('users')) body.users = refs.userIds.flatMap((uid) => users.get(uid) ?? []);
  if (include.has('organizations'))
    body.organizations = refs.organizationIds.flatMap((oid) => organizations.get(oid) ?? []);
  return { status: 200, body };
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
