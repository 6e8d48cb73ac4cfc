import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type Fault, FaultPlan, MinuteLimiter } from './faults.js';
import type { SampleCompany } from './sample-company.js';
import type { StoredTicket } from './zendesk-export.js';
import {
  exportPage,
  FORBIDDEN,
  NOT_FOUND,
  type Reply,
  showTicket,
  UNAUTHENTICATED,
  type ZendeskData,
  type ZendeskRecord,
} from './zendesk-routes.js';
import { zendeskTime } from './zendesk-types.js';
import {
  postWebhook,
  type WebhookDeliveryOptions,
  type WebhookDeliveryResult,
  webhookDelivery,
} from './zendesk-webhooks.js';

type Json = Record<string, unknown>;

export type { ZendeskRecord };

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
  /**
   * Enforce Zendesk's limits (off by default, so the demo runs at full speed): requests over
   * `perMinute` (default `rateLimitPerMinute`) or, on the export, over `exportPerMinute`
   * (default 10) get 429 with `Retry-After` until the minute (on `clock`) is over.
   */
  limits?: { perMinute?: number; exportPerMinute?: number };
  /** Faults to serve from the start (see `inject`). */
  faults?: readonly Fault[];
}

export interface SimulatedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The simulator's clock when the request arrived (epoch ms). */
  at: number;
  /** The `Retry-After` seconds of a 429. */
  retryAfter?: number;
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
  /** Deletes a ticket (or marks it spam): the export keeps it with status `deleted`. */
  deleteTicket(id: number, options?: { spam?: boolean }): void;
  /** Merges `id` into `into` as Zendesk does: closed and tagged `closed_by_merge`. */
  mergeTicket(id: number, into: number): void;
  /** Serves the fault to the next matching requests. */
  inject(fault: Fault): void;
  /** POSTs a signed ticket event to `url`, signed at the simulator's clock unless told. */
  deliverWebhook(options: WebhookDeliveryOptions): Promise<WebhookDeliveryResult>;
}

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
  const limit = options.limits?.perMinute ?? options.rateLimitPerMinute ?? 700;
  const limiter = options.limits ? new MinuteLimiter(limit, options.limits.exportPerMinute ?? 10) : null;
  const faults = new FaultPlan();
  for (const fault of options.faults ?? []) faults.inject(fault);

  const addTicket = (ticket: ZendeskRecord) => {
    const generated =
      typeof ticket.generated_timestamp === 'number' ? ticket.generated_timestamp : seconds(clock());
    tickets.set(ticket.id, { ...ticket, generated_timestamp: generated });
  };
  const seed = company?.zendesk ?? options;
  for (const user of rows(seed.users)) users.set(user.id, user);
  for (const organization of rows(seed.organizations)) organizations.set(organization.id, organization);
  for (const ticket of rows(seed.tickets)) addTicket(ticket);

  /** Changes a ticket as an agent would: bumps `updated_at` and `generated_timestamp`. */
  const change = (id: number, changes: Json) => {
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
  };

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

  const data: ZendeskData = { tickets, users, organizations, pageSize, clock };

  const reply = (req: IncomingMessage, url: URL, fault: Fault | undefined): Reply => {
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
      return actingUser().role === 'admin'
        ? exportPage(data, url.searchParams, url.origin, fault)
        : FORBIDDEN;
    }
    const show = /^\/api\/v2\/tickets\/(\d+)$/.exec(path);
    if (show?.[1]) return showTicket(data, Number(show[1]), url.searchParams);
    return NOT_FOUND;
  };

  /** Faults first, then the rate limit, then the endpoint. */
  const answer = async (req: IncomingMessage, url: URL, now: number): Promise<Reply> => {
    const isExport = url.pathname.includes('/incremental/');
    const fault = faults.take(url.pathname);
    if (fault?.kind === 'slow') await delay(fault.delayMs);
    if (fault?.kind === 'rate-limit') return tooMany(fault.retryAfterSeconds);
    const wait = limiter?.check(now, isExport) ?? null;
    if (wait !== null) return tooMany(wait);
    limiter?.count(now, isExport);
    if (fault?.kind === 'status') return { status: fault.status, body: { error: 'ServerError' } };
    if (fault?.kind === 'malformed')
      return { status: 200, body: null, raw: fault.body ?? '<html><body>Service Unavailable</body></html>' };
    return reply(req, url, fault);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const now = clock();
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 60_000) recent.shift();
    recent.push(now);
    const result = await answer(req, url, now);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: result.status,
      at: now,
      ...(result.retryAfter === undefined ? {} : { retryAfter: result.retryAfter }),
    });
    const remaining = limiter ? limiter.remaining(now) : Math.max(0, limit - recent.length);
    res.writeHead(result.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'X-Rate-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(remaining),
      ...(result.retryAfter === undefined ? {} : { 'Retry-After': String(result.retryAfter) }),
    });
    res.end(result.raw ?? JSON.stringify(result.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });
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
    updateTicket: (id, changes) => change(id, changes),
    addUser: (user) => users.set(user.id, user),
    addOrganization: (organization) => organizations.set(organization.id, organization),
    deleteTicket(id, options = {}) {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`simulator: no ticket ${id}`);
      // Zendesk: deleted and spam tickets both stay in the export with status "deleted".
      change(id, { status: 'deleted', ...(options.spam ? { tags: [...tagsOf(ticket), 'spam'] } : {}) });
    },
    mergeTicket(id, into) {
      const ticket = tickets.get(id);
      if (!ticket || !tickets.has(into)) throw new Error(`simulator: cannot merge ${id} into ${into}`);
      change(id, { status: 'closed', tags: [...tagsOf(ticket), 'closed_by_merge'] });
      change(into, {});
    },
    inject: (fault) => faults.inject(fault),
    deliverWebhook(delivery) {
      const sent = webhookDelivery({ ...delivery, signedAt: delivery.signedAt ?? clock() });
      return postWebhook(delivery.url, sent, delivery.fetch);
    },
  };
}

function tooMany(retryAfter: number): Reply {
  return { status: 429, body: { error: 'TooManyRequests', description: 'Rate limit exceeded' }, retryAfter };
}

function tagsOf(ticket: Json): string[] {
  return Array.isArray(ticket.tags) ? ticket.tags.filter((t): t is string => typeof t === 'string') : [];
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
