import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, PermanentError } from '../../src/errors.js';
import type {
  Connector,
  ConnectorContext,
  ConnectorPage,
  PullOptions,
  WebhookDelivery,
} from '../connector.js';
import { createMemoryBudget, type Lane, type RequestBudget } from '../shared/budget.js';
import { createIntercomApi, type IntercomApi, intercomOrigin } from './api.js';
import { decodeCursor, encodeCursor, type IntercomCursor, type IntercomStream } from './cursor.js';
import { createDirectory, type MappedPage, mapPage } from './page.js';
import { customerText, enrichShortConversations, needsMoreText, withCustomerText } from './parts.js';
import { RATE_WINDOW_MS } from './transport.js';
import { parseIntercomWebhook } from './webhook.js';

/** The cursor stream the sync stores this connector's one cursor under. */
export const TICKETS_STREAM = 'tickets';
/**
 * How far back each search reaches before the watermark: covers the clock difference between
 * us (the run's start) and Intercom (`updated_at`), and whole-second timestamps at the edge.
 * Re-read conversations are upserted by id, so the overlap costs requests, never duplicates.
 */
export const OVERLAP_SECONDS = 300;
/** A watermark older than this makes the run a backfill (the lowest lane of the budget). */
const BACKFILL_AFTER_SECONDS = 86_400;

/**
 * The Intercom connector: `verify()` asks `/me` which admin and workspace the token belongs
 * to; `pullChanges()` searches conversations, then Intercom tickets, updated since the
 * watermark, a page at a time; `fetchTicket()` and `parseWebhook()` serve webhooks.
 */
export function createIntercomConnector(ctx: ConnectorContext): Connector {
  const now = ctx.now ?? Date.now;
  let lane: Lane = 'incremental';
  const { api, origin } = apiFor(ctx, () => lane);
  const directory = createDirectory(api);
  // Webhook refreshes go in their own lane, ahead of a running backfill, with their own cache.
  const webhookApi = apiFor(ctx, () => 'webhook').api;
  const webhookDirectory = createDirectory(webhookApi);
  const page = (stream: string, cursor: string, mapped: MappedPage): ConnectorPage => ({
    stream,
    cursor,
    ...mapped,
  });

  return {
    kind: 'intercom',
    connectionId: ctx.connectionId,

    async verify() {
      const { me, observation } = await api.me();
      const who = me.email ?? me.name ?? `admin ${me.id}`;
      const workspace = me.app ? `${me.app.name ?? 'workspace'} (${me.app.id_code})` : new URL(origin).host;
      const region = me.app?.region ? `, region ${me.app.region}` : '';
      const limit = observation?.limit ? `${observation.limit} requests/10 s` : null;
      return { account: `Intercom ${workspace}${region}`, actingAs: who, rateLimit: limit };
    },

    async *pullChanges(cursor: string | null, options: PullOptions): AsyncIterable<ConnectorPage> {
      let state: IntercomCursor =
        cursor === null
          ? { v: 1, watermark: Math.floor(options.since / 1000), run: null }
          : decodeCursor(cursor);
      const runStart = state.run?.started_at ?? Math.floor(now() / 1000);
      let run = state.run ?? {
        started_at: runStart,
        stream: 'conversations' as IntercomStream,
        starting_after: null,
      };
      lane = runStart - state.watermark > BACKFILL_AFTER_SECONDS ? 'backfill' : 'incremental';
      const streams: IntercomStream[] = ticketsEnabled(ctx.settings)
        ? ['conversations', 'tickets']
        : ['conversations'];
      const since = Math.max(0, state.watermark - OVERLAP_SECONDS);

      while (streams.includes(run.stream)) {
        if (options.signal?.aborted) return;
        const found = await api.search(run.stream, since, run.starting_after, options.signal);
        const mapped = await mapPage(run.stream, found.items, directory, ctx.connectionId);
        if (run.stream === 'conversations')
          mapped.tickets = await enrichShortConversations(mapped.tickets, (id) => api.conversation(id));
        const following = streams[streams.indexOf(run.stream) + 1];
        if (found.next !== null) run = { ...run, starting_after: found.next };
        else if (following) run = { ...run, stream: following, starting_after: null };
        else {
          // The run is complete: everything updated before it started has been read.
          state = { v: 1, watermark: run.started_at, run: null };
          yield page(TICKETS_STREAM, encodeCursor(state), mapped);
          return;
        }
        state = { ...state, run };
        yield page(TICKETS_STREAM, encodeCursor(state), mapped);
      }
      // Resumed in a stream since switched off (settings.tickets): the run has nothing left.
      state = { v: 1, watermark: run.started_at, run: null };
      yield page(TICKETS_STREAM, encodeCursor(state), {
        tickets: [],
        users: [],
        organizations: [],
        quarantined: [],
      });
    },

    /**
     * One conversation (or, when no conversation has that id, one Intercom ticket) for a
     * webhook refresh. Its page is no position in the search, so it has its own stream
     * (`webhook`) and an empty cursor that must not be stored as one.
     */
    async fetchTicket(ticketId: string): Promise<ConnectorPage | null> {
      const conversation = await webhookApi.conversation(ticketId);
      if (conversation !== null) {
        const mapped = await mapPage('conversations', [conversation], webhookDirectory, ctx.connectionId);
        // Retrieved conversations carry their parts: a short opener gets the customer's comments.
        const extra = customerText(conversation);
        mapped.tickets = mapped.tickets.map((t) => (needsMoreText(t) ? withCustomerText(t, extra) : t));
        return page('webhook', '', mapped);
      }
      const ticket = await webhookApi.ticket(ticketId);
      if (ticket === null) return null;
      return page('webhook', '', await mapPage('tickets', [ticket], webhookDirectory, ctx.connectionId));
    },

    parseWebhook(delivery: WebhookDelivery) {
      return parseIntercomWebhook(delivery, ctx.credentials.webhookSecret);
    },
  };
}

function apiFor(ctx: ConnectorContext, lane: () => Lane): { api: IntercomApi; origin: string } {
  const now = ctx.now ?? Date.now;
  const origin = intercomOrigin(ctx.settings);
  const token = ctx.credentials.token;
  if (!token) throw new ConfigError('credentials.token: Intercom needs an access token');
  const appId = typeof ctx.settings.appId === 'string' ? ctx.settings.appId : null;
  const budget = ctx.budget ?? sharedFallbackBudget(ctx, now);
  const api = createIntercomApi({
    origin,
    token,
    fetch: ctx.fetch ?? globalThis.fetch,
    sleep: ctx.sleep ?? ((ms) => delay(ms)),
    now,
    logger: ctx.logger,
    budget,
    // The budget belongs to the workspace: every connection and worker on it shares one key.
    budgetKey: `intercom:${appId ?? `${new URL(origin).host}/${ctx.connectionId}`}`,
    lane,
  });
  return { api, origin };
}

/** One in-process budget per connection context, shared by its pull and webhook clients. */
const fallbackBudgets = new WeakMap<ConnectorContext, RequestBudget>();
function sharedFallbackBudget(ctx: ConnectorContext, now: () => number): RequestBudget {
  let budget = fallbackBudgets.get(ctx);
  if (!budget) {
    budget = createMemoryBudget({
      windowMs: RATE_WINDOW_MS,
      now,
      ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
    });
    fallbackBudgets.set(ctx, budget);
  }
  return budget;
}

/**
 * What `connect` stores beside the token: the workspace's app id (the budget key) and whether
 * it has ticket types (whether the Tickets API stream runs).
 */
export async function discoverIntercomWorkspace(
  ctx: ConnectorContext,
): Promise<{ appId: string | null; region: string | null; usesTickets: boolean }> {
  const { api } = apiFor(ctx, () => 'incremental');
  const { me } = await api.me();
  let usesTickets = false;
  try {
    usesTickets = await api.usesTickets();
  } catch (error) {
    // A token without "Read tickets", or a workspace without Tickets: conversations still sync.
    if (!(error instanceof PermanentError)) throw error;
    ctx.logger.warn({ err: error }, 'Intercom ticket types unavailable; syncing conversations only');
  }
  return {
    appId: me.app?.id_code ?? null,
    region: me.app?.region ?? null,
    usesTickets,
  };
}

/** `settings.tickets` is set by `connect` from the workspace's ticket types; unknown means on. */
function ticketsEnabled(settings: Record<string, unknown>): boolean {
  return settings.tickets !== false;
}
