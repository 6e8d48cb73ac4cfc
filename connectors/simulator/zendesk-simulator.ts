import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleCompany } from './sample-company.js';
import {
  decodeExportCursor,
  type ExportFrom,
  encodeExportCursor,
  exportSlice,
  referencedIds,
  type StoredTicket,
} from './zendesk-export.js';
import { zendeskTime } from './zendesk-types.js';

type Json = Record<string, unknown>;
export type ZendeskRecord = Json & { id: number };

export interface ZendeskSimulatorOptions {
  /** The sample company whose Zendesk account to serve; or give tickets/users/organizations. */
  company?: SampleCompany;
  tickets?: readonly object[];
  users?: readonly object[];
  organizations?: readonly object[];
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
  /** The most tickets one export page holds (Zendesk: 1000); `per_page` may ask for fewer. */
  pageSize?: number;
  /** The API-token credentials the simulator accepts (Basic `{email}/token:{token}`). */
  email: string;
  token: string;
  /** Also accepted as `Authorization: Bearer ...`. */
  oauthToken?: string;
  /** The role of the user the credentials act as (default admin; others get 403 on the export). */
  role?: 'admin' | 'agent' | 'end-user';
  /**
   * Epoch ms. Defaults to the company's `now` moving forward with real time (so the sample data
   * is never hidden by the one-minute lag), or to Date.now without a company.
   */
  clock?: () => number;
  /** Reported in `X-Rate-Limit` (the Zendesk Suite Enterprise account limit by default). */
  rateLimitPerMinute?: number;
}

export interface SimulatedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface ZendeskSimulator {
  /** http://HOST:PORT — pass it as the connection's base URL; clients add `/api/v2`. */
  baseUrl: string;
  /** Every request served, in order (no headers: they carry credentials). */
  readonly requests: readonly SimulatedRequest[];
  close(): Promise<void>;
  /** Adds (or replaces) a ticket; `generated_timestamp` defaults to the clock. */
  addTicket(ticket: ZendeskRecord): void;
  /** Changes a ticket as an agent would: bumps `updated_at` and `generated_timestamp`. */
  updateTicket(id: number, changes: Json): void;
  addUser(user: ZendeskRecord): void;
  addOrganization(organization: ZendeskRecord): void;
}

interface Reply {
  status: number;
  body: unknown;
}

const UNAUTHENTICATED: Reply = { status: 401, body: { error: "Couldn't authenticate you" } };
const FORBIDDEN: Reply = {
  status: 403,
  body: {
    error: 'Forbidden',
    description:
      'You do not have access to this page. Please contact the account owner of this help desk for further help.',
  },
};
const NOT_FOUND: Reply = { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };

/**
 * A local Zendesk for `zerotickets demo` and tests: `users/me`, the cursor-based incremental
 * ticket export with `users,organizations` sideloads, and Show Ticket, over node:http. Every
 * request goes through `reply()`, where rate limiting and fault injection can later hook in.
 */
export async function startZendeskSimulator(options: ZendeskSimulatorOptions): Promise<ZendeskSimulator> {
  const startedAt = Date.now();
  const company = options.company;
  const clock = options.clock ?? (company ? () => company.now + (Date.now() - startedAt) : Date.now);
  const tickets = new Map<number, StoredTicket>();
  const users = new Map<number, ZendeskRecord>();
  const organizations = new Map<number, ZendeskRecord>();
  const requests: SimulatedRequest[] = [];
  const recent: number[] = [];
  const pageSize = options.pageSize ?? 100;
  const limit = options.rateLimitPerMinute ?? 700;

  const addTicket = (ticket: ZendeskRecord) => {
    const generated =
      typeof ticket.generated_timestamp === 'number' ? ticket.generated_timestamp : seconds(clock());
    tickets.set(ticket.id, { ...ticket, generated_timestamp: generated });
  };
  const seed = company?.zendesk ?? options;
  for (const user of rows(seed.users)) users.set(user.id, user);
  for (const organization of rows(seed.organizations)) organizations.set(organization.id, organization);
  for (const ticket of rows(seed.tickets)) addTicket(ticket);

  const actingUser = (): Json => {
    const email = options.email.toLowerCase();
    const known = [...users.values()].find(
      (u) => typeof u.email === 'string' && u.email.toLowerCase() === email,
    );
    const role = options.role ?? 'admin';
    return known
      ? { ...known, role }
      : { id: 1, url: null, name: 'Simulator Admin', email, role, external_id: null, organization_id: null };
  };

  const authorize = (header: string | undefined): 'ok' | 'anonymous' | 'bad' => {
    if (!header) return 'anonymous';
    if (options.oauthToken && header === `Bearer ${options.oauthToken}`) return 'ok';
    const basic = /^Basic (.+)$/.exec(header);
    if (!basic?.[1]) return 'bad';
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const at = decoded.indexOf('/token:');
    if (at < 0) return 'bad';
    const email = decoded.slice(0, at).toLowerCase();
    return email === options.email.toLowerCase() && decoded.slice(at + '/token:'.length) === options.token
      ? 'ok'
      : 'bad';
  };

  const exportPage = (query: URLSearchParams, origin: string): Reply => {
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
  };

  const showTicket = (id: number, query: URLSearchParams): Reply => {
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
  };

  const reply = (req: IncomingMessage, url: URL): Reply => {
    if (req.method !== 'GET') return NOT_FOUND;
    const path = url.pathname.replace(/\.json$/, '');
    const auth = authorize(req.headers.authorization);
    if (auth === 'bad') return UNAUTHENTICATED;
    if (path === '/api/v2/users/me') {
      // Zendesk answers users/me without credentials with the anonymous user, not a 401.
      return auth === 'ok'
        ? { status: 200, body: { user: actingUser() } }
        : {
            status: 200,
            body: {
              user: {
                id: null,
                url: null,
                name: 'Anonymous user',
                email: 'invalid@example.com',
                role: 'end-user',
              },
            },
          };
    }
    if (auth === 'anonymous') return UNAUTHENTICATED;
    if (path === '/api/v2/incremental/tickets/cursor') {
      // Zendesk: the incremental exports are admin-only.
      return actingUser().role === 'admin' ? exportPage(url.searchParams, url.origin) : FORBIDDEN;
    }
    const show = /^\/api\/v2\/tickets\/(\d+)$/.exec(path);
    if (show?.[1]) return showTicket(Number(show[1]), url.searchParams);
    return NOT_FOUND;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const now = clock();
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 60_000) recent.shift();
    recent.push(now);
    const result = reply(req, url);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: result.status,
    });
    res.writeHead(result.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'X-Rate-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, limit - recent.length)),
    });
    res.end(JSON.stringify(result.body));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${host}:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    addTicket,
    updateTicket(id, changes) {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`simulator: no ticket ${id}`);
      const now = clock();
      tickets.set(id, {
        ...ticket,
        ...changes,
        id,
        updated_at: zendeskTime(now),
        generated_timestamp: seconds(now),
      });
    },
    addUser: (user) => users.set(user.id, user),
    addOrganization: (organization) => organizations.set(organization.id, organization),
  };
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Zendesk objects as the loose records the simulator stores; every one needs a numeric id. */
function rows(list: readonly object[] | undefined): ZendeskRecord[] {
  return (list ?? []).map((item) => {
    const row = { ...item } as Json;
    if (typeof row.id !== 'number')
      throw new Error(`simulator: object without a numeric id: ${JSON.stringify(item).slice(0, 80)}`);
    return row as ZendeskRecord;
  });
}
