import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type Fault, FaultPlan } from './faults.js';
import { decodePosition, type Item, MAX_PER_PAGE, SearchQueryError, searchPage } from './intercom-search.js';
import { SAMPLE_APP_ID, seconds } from './intercom-types.js';
import type { SampleCompany } from './sample-company.js';

type Json = Record<string, unknown>;

export interface IntercomSimulatorOptions {
  /** The sample company whose Intercom workspace to serve; or give the lists below. */
  company?: SampleCompany;
  conversations?: readonly object[];
  tickets?: readonly object[];
  contacts?: readonly object[];
  companies?: readonly object[];
  /** The access token the workspace accepts (`Authorization: Bearer ...`). */
  token: string;
  port?: number;
  host?: string;
  /** Epoch ms; defaults to the company's `now` moving forward with real time, else Date.now. */
  clock?: () => number;
  /** Requests per 10-second window (Intercom's default 1,000/min is 167 a window). */
  rateLimitPerWindow?: number;
  /** Answer 429 once a window is spent (default true); false only reports the headers. */
  enforceLimit?: boolean;
  /** Faults to serve from the start (see `inject`). */
  faults?: readonly Fault[];
}

export interface SimulatedIntercomRequest {
  method: string;
  path: string;
  status: number;
  /** The `Intercom-Version` header sent (credentials are never recorded). */
  version: string | null;
  /** The JSON body of a POST, for asserting on search queries. */
  body: unknown;
  /** The simulator's clock when the request arrived (epoch ms). */
  at: number;
}

export interface IntercomSimulator {
  /** http://HOST:PORT — the connection's base URL (Intercom has no path prefix). */
  baseUrl: string;
  readonly requests: readonly SimulatedIntercomRequest[];
  close(): Promise<void>;
  /**
   * Serves the fault to the next matching requests (connectors/simulator/faults.ts): an error
   * status, a 429 with Retry-After, a slow or malformed answer, a search page whose first item
   * has lost its `source` (`bad-ticket`), or one that repeats the previous page's last item.
   */
  inject(fault: Fault): void;
  addConversation(conversation: Json & { id: string }): void;
  /** Changes a conversation as a teammate would: `updated_at` moves to the clock. */
  updateConversation(id: string, changes: Json): void;
  addTicket(ticket: Json & { id: string }): void;
  addContact(contact: Json & { id: string }): void;
  addCompany(company: Json & { id: string }): void;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `JSON.stringify(body)` (a malformed answer). */
  raw?: string;
}

const error = (status: number, code: string, message: string): Reply => ({
  status,
  body: { type: 'error.list', request_id: `sim-${status}`, errors: [{ code, message }] },
});
const NOT_FOUND = error(404, 'not_found', 'Resource Not Found');

/**
 * A local Intercom workspace for `zerotickets demo` and tests: `/me`, `/ticket_types`,
 * conversation / ticket / contact search, and the retrieve endpoints, with 10-second-window
 * rate limiting (`X-RateLimit-*` headers, 429 when spent) and fault injection (`inject`).
 */
export async function startIntercomSimulator(options: IntercomSimulatorOptions): Promise<IntercomSimulator> {
  const startedAt = Date.now();
  const company = options.company;
  const clock = options.clock ?? (company ? () => company.now + (Date.now() - startedAt) : Date.now);
  const seed = company?.intercom ?? options;
  const table = (list: readonly object[] | undefined) =>
    new Map((list ?? []).map((item) => [String((item as Json).id), { ...item } as Item]));
  const conversations = table(seed.conversations);
  const tickets = table(seed.tickets);
  const contacts = table(seed.contacts);
  const companies = table(seed.companies);
  const requests: SimulatedIntercomRequest[] = [];
  const faults = new FaultPlan();
  for (const fault of options.faults ?? []) faults.inject(fault);
  const limit = options.rateLimitPerWindow ?? 167;
  let window = -1;
  let spent = 0;

  const search = (
    kind: string,
    store: Map<string, Item>,
    body: unknown,
    key: string,
    path: string,
  ): Reply => {
    const request = (body ?? {}) as {
      query?: unknown;
      pagination?: { per_page?: unknown; starting_after?: unknown };
    };
    const perPage = Number(request.pagination?.per_page ?? 20);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE)
      return error(400, 'parameter_invalid', `per_page must be between 1 and ${MAX_PER_PAGE}`);
    const after = request.pagination?.starting_after;
    try {
      const page = searchPage(
        store.values(),
        request.query,
        perPage,
        typeof after === 'string' ? after : null,
      );
      const fault = faults.take(path, ['bad-ticket', 'duplicate']);
      if (fault?.kind === 'bad-ticket' && page.items[0]) {
        const { source: _lost, ...broken } = page.items[0];
        page.items[0] = broken as Item;
      }
      if (fault?.kind === 'duplicate' && typeof after === 'string') {
        const previous = store.get(decodePosition(after).id);
        if (previous) page.items.unshift(previous);
      }
      return {
        status: 200,
        body: {
          type: `${kind}.list`,
          // Intercom leaves conversation parts out of list and search results (reference B2).
          [key]: page.items.map(({ conversation_parts: _parts, ...item }) => item),
          total_count: page.totalCount,
          pages: {
            type: 'pages',
            page: page.page,
            per_page: perPage,
            total_pages: page.totalPages,
            ...(page.next ? { next: { per_page: perPage, starting_after: page.next } } : {}),
          },
        },
      };
    } catch (e) {
      if (e instanceof SearchQueryError) return error(400, 'query_invalid', e.message);
      throw e;
    }
  };

  const reply = (method: string, path: string, body: unknown): Reply => {
    if (method === 'GET' && path === '/me') {
      return {
        status: 200,
        body: {
          type: 'admin',
          id: '7410003',
          name: 'Sam Taylor',
          email: 'sam@fieldnote.app',
          email_verified: true,
          app: {
            type: 'app',
            id_code: company?.intercom.appId ?? SAMPLE_APP_ID,
            name: 'Fieldnote',
            region: 'US',
            timezone: 'UTC',
            created_at: 1_600_000_000,
            identity_verification: false,
          },
        },
      };
    }
    if (method === 'GET' && path === '/ticket_types') {
      const types = new Map([...tickets.values()].map((t) => [JSON.stringify(t.ticket_type), t.ticket_type]));
      return { status: 200, body: { type: 'list', data: [...types.values()] } };
    }
    if (method === 'POST' && path === '/conversations/search')
      return search('conversation', conversations, body, 'conversations', path);
    if (method === 'POST' && path === '/tickets/search')
      return search('ticket', tickets, body, 'tickets', path);
    if (method === 'POST' && path === '/contacts/search')
      return search('contact', contacts, body, 'data', path);
    const one = /^\/(conversations|tickets|companies|contacts)\/([^/]+)$/.exec(path);
    if (method === 'GET' && one?.[1] && one[2]) {
      const store = { conversations, tickets, companies, contacts }[one[1] as 'conversations'];
      const found = store.get(decodeURIComponent(one[2]));
      return found ? { status: 200, body: found } : NOT_FOUND;
    }
    return NOT_FOUND;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    let result: Reply;
    try {
      body = text ? JSON.parse(text) : null;
      result = await route(req, url.pathname, body);
    } catch {
      result = error(400, 'parameter_invalid', 'body is not JSON');
    }
    const version = req.headers['intercom-version'];
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      status: result.status,
      version: typeof version === 'string' ? version : null,
      body,
      at: clock(),
    });
    res.writeHead(result.status, { 'Content-Type': 'application/json; charset=utf-8', ...result.headers });
    res.end(result.raw ?? JSON.stringify(result.body));
  };

  /** Auth, rate limit and faults first — as Intercom, limit headers only on authenticated replies. */
  const route = async (req: IncomingMessage, path: string, body: unknown): Promise<Reply> => {
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return error(401, 'token_not_found', 'Access Token Invalid');
    const now = clock();
    const current = Math.floor(now / 10_000);
    if (current !== window) {
      window = current;
      spent = 0;
    }
    spent += 1;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - spent)),
      'X-RateLimit-Reset': String(seconds((current + 1) * 10_000)),
    };
    if (spent > limit && options.enforceLimit !== false)
      return {
        ...error(429, 'rate_limit_exceeded', `Exceeded rate limit of ${limit} in 10_seconds`),
        headers,
      };
    const fault = faults.take(path, ['status', 'rate-limit', 'malformed', 'slow']);
    if (fault?.kind === 'status')
      return { ...error(fault.status, 'server_error', 'injected fault'), headers };
    if (fault?.kind === 'rate-limit') {
      return {
        ...error(429, 'rate_limit_exceeded', 'injected rate limit'),
        headers: { ...headers, 'X-RateLimit-Remaining': '0', 'Retry-After': String(fault.retryAfterSeconds) },
      };
    }
    if (fault?.kind === 'malformed')
      return {
        status: 200,
        body: null,
        raw: fault.body ?? '<html><body>Service Unavailable</body></html>',
        headers,
      };
    if (fault?.kind === 'slow') await delay(fault.delayMs);
    return { ...reply(req.method ?? 'GET', path, body), headers };
  };

  const server = createServer((req, res) => void handle(req, res));
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
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    inject: (fault) => faults.inject(fault),
    addConversation: (c) => void conversations.set(c.id, c),
    updateConversation(id, changes) {
      const found = conversations.get(id);
      if (!found) throw new Error(`simulator: no conversation ${id}`);
      conversations.set(id, { ...found, ...changes, id, updated_at: seconds(clock()) });
    },
    addTicket: (t) => void tickets.set(t.id, t),
    addContact: (c) => void contacts.set(c.id, c),
    addCompany: (c) => void companies.set(c.id, c),
  };
}
