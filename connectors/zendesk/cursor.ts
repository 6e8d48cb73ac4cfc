import { PermanentError } from '../../src/errors.js';

/**
 * What the connector stores as its cursor: JSON, opaque to the rest of the code.
 *
 * - `after_cursor`: Zendesk's cursor to resume from (the export needs no start_time once it
 *   has one). null until Zendesk has handed one out.
 * - `start_time`: the first request's start_time (Unix s), kept until there is an
 *   `after_cursor`, so an empty first sync resumes where it started.
 * - `high_water`: the greatest `generated_timestamp` seen so far (Unix s); for lag reporting,
 *   and the start_time to fall back on if Zendesk ever refused a stale cursor.
 */
export interface ZendeskCursor {
  v: 1;
  after_cursor: string | null;
  start_time: number | null;
  high_water: number | null;
}

export function encodeCursor(cursor: ZendeskCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(text: string): ZendeskCursor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(text);
  }
  if (value === null || typeof value !== 'object') throw unreadable(text);
  const { v, after_cursor, start_time, high_water } = value as Record<string, unknown>;
  const nullableNumber = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  if (
    v !== 1 ||
    !(after_cursor === null || (typeof after_cursor === 'string' && after_cursor !== '')) ||
    !nullableNumber(start_time) ||
    !nullableNumber(high_water) ||
    (after_cursor === null && start_time === null)
  ) {
    throw unreadable(text);
  }
  return {
    v: 1,
    after_cursor: after_cursor as string | null,
    start_time: start_time as number | null,
    high_water: high_water as number | null,
  };
}

function unreadable(text: string): PermanentError {
  return new PermanentError(
    `Zendesk: the stored sync cursor is not one this connector wrote (${text.slice(0, 80)}); reset the connection's cursor to re-sync`,
  );
}
