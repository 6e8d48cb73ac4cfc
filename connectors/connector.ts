import type {
  HelpdeskOrganization,
  HelpdeskUser,
  QuarantinedPayload,
  Source,
  Ticket,
} from '../src/domain/ticket.js';
import type { Logger } from '../src/logger.js';
import type { RequestBudget } from './shared/budget.js';

/**
 * The one interface every helpdesk implements (`connectors/<name>/index.ts`).
 *
 * A connector turns a vendor's API into pages of normalized tickets. It validates every raw
 * item with zod: good items are mapped to `Ticket`, bad ones are returned as `quarantined`
 * with their error, and the page goes on. It never touches the store: the sync handler
 * commits each page together with its cursor in one transaction.
 *
 * Deliberately excluded: linking, classification and anything else past normalization.
 */
export interface Connector {
  readonly kind: Source;
  readonly connectionId: string;
  /** The connect-once check: are these credentials good, and for what account? */
  verify(): Promise<VerifyResult>;
  /**
   * Changes since `cursor` (null: the first sync, starting at `options.since`), one page at a
   * time, until the helpdesk has nothing newer. Each page carries the cursor that resumes
   * after it.
   */
  pullChanges(cursor: string | null, options: PullOptions): AsyncIterable<ConnectorPage>;
  /** One ticket by id, for webhooks; null when the helpdesk no longer has it. */
  fetchTicket?(ticketId: string): Promise<ConnectorPage | null>;
  /**
   * Authenticates and reads one webhook delivery (`POST /webhooks/<kind>/:connectionId` on
   * `serve`). Throws `WebhookRejectedError` when the signature (or its timestamp) is wrong:
   * the route answers 401 and stores nothing. Pure apart from `now`: no network.
   */
  parseWebhook?(delivery: WebhookDelivery): WebhookEvent;
}

/** One HTTP delivery as the server received it; header names lower-cased. */
export interface WebhookDelivery {
  headers: Record<string, string | undefined>;
  /** The body bytes exactly as received, before any JSON parsing (signatures cover them). */
  rawBody: Uint8Array;
}

/**
 * What a delivery asks for: nothing (a test ping, a topic we ignore), or a refresh of some
 * tickets, which the server runs through `fetchTicket` and the pipeline for those tickets.
 */
export type WebhookEvent = { kind: 'ignore'; reason: string } | { kind: 'refresh'; ticketIds: string[] };

/** A delivery whose signature or timestamp does not check out. */
export class WebhookRejectedError extends Error {
  override name = 'WebhookRejectedError';
}

export interface PullOptions {
  /** Epoch ms: where a first sync starts. */
  since: number;
  signal?: AbortSignal;
}

export interface ConnectorPage {
  /** The cursor stream this page belongs to (e.g. `tickets`). */
  stream: string;
  cursor: string;
  tickets: Ticket[];
  users: HelpdeskUser[];
  organizations: HelpdeskOrganization[];
  quarantined: QuarantinedPayload[];
}

export interface VerifyResult {
  /** Human description of the account, e.g. `acme.zendesk.com`. */
  account: string;
  /** Who the credentials act as, e.g. `ops@acme.com (admin)`. */
  actingAs: string;
  /** The rate limit read from the response headers, when the vendor sends one. */
  rateLimit: string | null;
}

/** What a connector factory gets: decrypted credentials and injected I/O. */
export interface ConnectorContext {
  connectionId: string;
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  logger: Logger;
  /** Injected so tests can fake it; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Injected so tests need not wait; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected so tests can fix time (epoch ms); defaults to Date.now. */
  now?: () => number;
  /**
   * The request budget shared by every worker and job kind (connectors/shared/budget.ts);
   * defaults to an in-process one owned by the connector.
   */
  budget?: RequestBudget;
}
