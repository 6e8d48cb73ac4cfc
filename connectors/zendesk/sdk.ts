// node-zendesk is CommonJS whose exports Node's ESM loader cannot list: take its default export.
import zendesk from 'node-zendesk';
import { PermanentError } from '../../src/errors.js';
import { fetchWithRetry, type RetryPolicy } from '../shared/http.js';
import type { ZendeskAuth } from './api.js';

/**
 * node-zendesk 6 for the single-object calls (`users/me`, Show Ticket), where it does the job:
 * its `transportConfig.transportFn` sends every request through our `fetchWithRetry`, so the
 * injected fetch, the request budget, `Retry-After` and the 5xx backoff apply to it as well, and
 * `endpointUri` points it at a proxy or the simulator. Our response adapter keeps the headers
 * (the rate limit `connect` reports) and the whole parsed body (node-zendesk hands back only
 * `body.ticket`, dropping the sideloaded users and organizations).
 *
 * Not for the export loop (api.ts), because there node-zendesk 6.0.1 is wrong (reference
 * Part A7, run-verified): a 429 with `Retry-After` is returned as `{ result: Error }`, `getAll`
 * stops after the first incremental page, and `exportCursor` sends `cursor=undefined`.
 */
export interface SdkResponse {
  status: number;
  headers: Headers;
  /** The whole JSON document, sideloads included. */
  body: unknown;
}

export interface ZendeskSdk {
  /** `GET /api/v2/users/me.json`. Throws PermanentError for 401/403/404 (see `statusError`). */
  me(policy: RetryPolicy): Promise<SdkResponse>;
  /** `GET /api/v2/tickets/{id}.json?include=users,organizations`; null on 404. */
  showTicket(ticketId: number, policy: RetryPolicy): Promise<SdkResponse | null>;
}

/** A node-zendesk error: `statusCode` set when `throwOriginalException` is on. */
interface SdkError extends Error {
  statusCode?: number;
  result?: unknown;
}

interface AdaptedResponse {
  status: number;
  statusText: string;
  headers: Headers;
  json(): Promise<unknown>;
  body: unknown;
}

export function createZendeskSdk(origin: string, auth: ZendeskAuth): ZendeskSdk {
  // One policy per call: the transport reads it from here (calls never overlap per client).
  let policy: RetryPolicy | null = null;
  const client = zendesk.createClient({
    endpointUri: `${origin}/api/v2`,
    ...('oauthToken' in auth
      ? { token: auth.oauthToken, oauth: true }
      : { username: auth.email, token: auth.token }),
    throwOriginalException: true,
    transportConfig: {
      transportFn: (uri: string, options: { method?: string; headers?: Record<string, string> }) => {
        if (!policy) throw new Error('node-zendesk transport used outside a call');
        // Only these keys: node-zendesk spreads its whole config (token included) into options.
        const init: RequestInit = { method: options.method ?? 'GET' };
        if (options.headers) init.headers = options.headers;
        return fetchWithRetry(uri, init, policy);
      },
      responseAdapter: (response: Response): AdaptedResponse => {
        const adapted: AdaptedResponse = {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          body: null,
          async json() {
            adapted.body = await response.json();
            return adapted.body;
          },
        };
        return adapted;
      },
    },
  });

  let queue: Promise<void> = Promise.resolve();
  const call = async (run: () => Promise<{ response: object }>, with_: RetryPolicy) => {
    // Calls are serialized per client so the transport's policy is the caller's.
    const previous = queue;
    let release = () => {};
    queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    policy = with_;
    try {
      const { response } = await run();
      const adapted = response as AdaptedResponse;
      return { status: adapted.status, headers: adapted.headers, body: adapted.body };
    } finally {
      policy = null;
      release();
    }
  };

  return {
    async me(with_) {
      try {
        return await call(() => client.users.me(), with_);
      } catch (error) {
        throw statusError(error, 'users/me');
      }
    },
    async showTicket(ticketId, with_) {
      try {
        const tickets = client.tickets as unknown as {
          get(resource: unknown[]): Promise<{ response: object }>;
        };
        return await call(
          () => tickets.get(['tickets', ticketId, { include: 'users,organizations' }]),
          with_,
        );
      } catch (error) {
        if ((error as SdkError).statusCode === 404) return null;
        throw statusError(error, `tickets/${ticketId}`);
      }
    },
  };
}

/**
 * node-zendesk throws a bare Error with `statusCode` for 4xx; ours are typed. Anything else
 * (our own TransientError, RateLimitedError, PermanentError from the transport) passes through.
 */
function statusError(error: unknown, what: string): unknown {
  const status = (error as SdkError | null)?.statusCode;
  if (typeof status !== 'number' || error instanceof PermanentError) return error;
  const err = new PermanentError(
    `Zendesk ${what}: HTTP ${status}${vendorWords((error as SdkError).result)}`,
    {
      cause: error,
    },
  );
  (err as SdkError).statusCode = status;
  return err;
}

function vendorWords(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const { error, description } = result as { error?: unknown; description?: unknown };
  const words = [error, description]
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? JSON.stringify(v) : null))
    .filter((v): v is string => v !== null);
  return words.length > 0 ? ` (${words.join(': ').slice(0, 200)})` : '';
}
