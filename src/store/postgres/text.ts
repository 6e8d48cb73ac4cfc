/**
 * Postgres `text` and `jsonb` refuse the NUL character, which helpdesk text occasionally holds
 * (pasted binary, broken e-mail clients). Dropping it is the only change that keeps such a
 * page from failing its whole commit; SQLite stores it as is.
 */
export function withoutNul<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [strip(key), strip(inner)]));
  }
  return value;
}
