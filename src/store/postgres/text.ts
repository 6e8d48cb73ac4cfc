/**
 * Postgres `text` and `jsonb` refuse the NUL character, which helpdesk text occasionally holds
 * (pasted binary, broken e-mail clients). Dropping it is the only change that keeps such a
 * page from failing its whole commit; SQLite stores it as is. A value without NUL (nearly every
 * one) is returned as is, after a scan that allocates nothing: every synced ticket goes through here.
 */
export function withoutNul<T>(value: T): T {
  return hasNul(value) ? (strip(value) as T) : value;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) {
    for (const item of value) if (hasNul(item)) return true;
    return false;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [strip(key), strip(inner)]));
  }
  return value;
}
