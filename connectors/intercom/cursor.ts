import { PermanentError } from '../../src/errors.js';

/** The two things a run walks, in this order: conversations, then Intercom tickets. */
export type IntercomStream = 'conversations' | 'tickets';

/**
 * What the connector stores as its cursor: JSON, opaque to the rest of the code.
 *
 * - `watermark` (Unix s): every change before it has been synced. A run searches
 *   `updated_at > watermark − overlap`, and when it finishes the watermark moves to the time the
 *   run *started*, so a conversation updated while the run was paging is read by the next run.
 * - `run`: the run in progress, or null between runs. `started_at` survives a crash, so a resumed
 *   run still ends at its original start; `stream` and `starting_after` say where its next page
 *   begins (Intercom's opaque `pages.next.starting_after`; null: the stream's first page).
 *
 * Both streams live in one stored cursor because the sync keeps one cursor per connection, and
 * the tickets stream must use the same run start as the conversations stream.
 */
export interface IntercomCursor {
  v: 1;
  watermark: number;
  run: { started_at: number; stream: IntercomStream; starting_after: string | null } | null;
}

export function encodeCursor(cursor: IntercomCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(text: string): IntercomCursor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(text);
  }
  if (value === null || typeof value !== 'object') throw unreadable(text);
  const { v, watermark, run } = value as Record<string, unknown>;
  if (v !== 1 || !isSeconds(watermark)) throw unreadable(text);
  if (run === null) return { v: 1, watermark, run: null };
  if (run === undefined || typeof run !== 'object') throw unreadable(text);
  const { started_at, stream, starting_after } = run as Record<string, unknown>;
  if (
    !isSeconds(started_at) ||
    (stream !== 'conversations' && stream !== 'tickets') ||
    !(starting_after === null || (typeof starting_after === 'string' && starting_after !== ''))
  ) {
    throw unreadable(text);
  }
  return { v: 1, watermark, run: { started_at, stream, starting_after: starting_after as string | null } };
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function unreadable(text: string): PermanentError {
  return new PermanentError(
    `Intercom: the stored sync cursor is not one this connector wrote (${text.slice(0, 80)}); reset the connection's cursor to re-sync`,
  );
}
