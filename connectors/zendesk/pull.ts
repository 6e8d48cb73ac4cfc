import type { QuarantinedPayload } from '../../src/domain/ticket.js';
import { InvalidPayloadError, PermanentError, UnreadablePagesError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ConnectorPage, PullOptions } from '../connector.js';
import type { Lane } from '../shared/budget.js';
import { clampStartTime, type ExportStart, type ZendeskApi } from './api.js';
import { decodeCursor, encodeCursor, type ZendeskCursor } from './cursor.js';
import { mapItems } from './page.js';

/** The cursor stream this connector's pages belong to. */
export const TICKETS_STREAM = 'tickets';
/** A page whose position is older than this is backfill; newer, an incremental poll (lanes). */
export const BACKFILL_AGE_MS = 60 * 60_000;
/** An unreadable export page is asked for again this many times before the sync stops loudly. */
export const MAX_INVALID_PAGES = 3;

export interface PullDeps {
  api: ZendeskApi;
  connectionId: string;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The export loop: one page per request from the stored cursor to `end_of_stream`.
 *
 * - A 2xx page that is not an export page (not JSON, no `tickets`) is quarantined (kind
 *   `page`, committed with the next good page, so a failed first sync pins no cursor) and
 *   asked for again with the same cursor; after MAX_INVALID_PAGES in a row the sync stops
 *   with UnreadablePagesError, which carries them for the sync to store, keeping its cursor. Bad items of a good page are quarantined
 *   one by one (page.ts).
 * - A cursor Zendesk refuses (400/422, e.g. expired) falls back to `start_time` = the highest
 *   `generated_timestamp` seen: the export is inclusive, so nothing is skipped and the
 *   re-read tickets are upserted again, harmlessly.
 */
export async function* pullTickets(
  deps: PullDeps,
  cursor: string | null,
  options: PullOptions,
): AsyncIterable<ConnectorPage> {
  const { api, connectionId, logger, now } = deps;
  let state: ZendeskCursor =
    cursor === null
      ? {
          v: 1,
          after_cursor: null,
          start_time: clampStartTime(Math.floor(options.since / 1000), now()),
          high_water: null,
        }
      : decodeCursor(cursor);
  let unreadable: QuarantinedPayload[] = [];
  for (;;) {
    if (options.signal?.aborted) return;
    const start: ExportStart =
      state.after_cursor !== null ? { cursor: state.after_cursor } : { startTime: state.start_time ?? 0 };
    const answer = await api.exportTicketsPage(start, laneOf(state, now()), options.signal);

    if ('refused' in answer) {
      if (state.high_water === null) {
        throw new PermanentError(
          `Zendesk refused the stored export cursor (${answer.refused}) and no generated_timestamp was recorded to restart from; reset the connection's cursor`,
        );
      }
      logger.warn(
        { connectionId, refused: answer.refused, startTime: state.high_water },
        'Zendesk refused the export cursor; restarting from the highest generated_timestamp seen',
      );
      state = { v: 1, after_cursor: null, start_time: state.high_water, high_water: state.high_water };
      continue;
    }

    if ('invalid' in answer) {
      unreadable.push({
        connectionId,
        source: 'zendesk',
        kind: 'page',
        externalId: null,
        payload: answer.invalid.payload,
        error: answer.invalid.message,
      });
      if (unreadable.length >= MAX_INVALID_PAGES) {
        throw new UnreadablePagesError(answer.invalid.message, unreadable, { cause: answer.invalid });
      }
      logger.warn(
        { connectionId, attempt: unreadable.length, error: answer.invalid.message },
        'unreadable export page quarantined; asking again',
      );
      await deps.sleep(500 * unreadable.length);
      continue;
    }

    const { page } = answer;
    if (!page.end_of_stream && !page.after_cursor) {
      throw new InvalidPayloadError(
        'Zendesk export page: end_of_stream is false but after_cursor is missing',
        page,
      );
    }
    const mapped = mapItems(page, connectionId);
    const highWater =
      mapped.highWater === null || (state.high_water !== null && state.high_water >= mapped.highWater)
        ? state.high_water
        : mapped.highWater;
    state = page.after_cursor
      ? { v: 1, after_cursor: page.after_cursor, start_time: null, high_water: highWater }
      : { ...state, high_water: highWater };
    yield {
      stream: TICKETS_STREAM,
      cursor: encodeCursor(state),
      tickets: mapped.tickets,
      users: mapped.users,
      organizations: mapped.organizations,
      quarantined: [...unreadable, ...mapped.quarantined],
    };
    unreadable = [];
    // Zendesk: end_of_stream means this page reached "now" (minus the one-minute lag); the
    // next sync resumes from the same after_cursor.
    if (page.end_of_stream) return;
  }
}

/** Backfill while the position is more than an hour old; incremental polls once caught up. */
export function laneOf(state: ZendeskCursor, nowMs: number): Lane {
  const position = state.high_water ?? state.start_time;
  if (position === null) return 'incremental';
  return nowMs - position * 1000 > BACKFILL_AGE_MS ? 'backfill' : 'incremental';
}
