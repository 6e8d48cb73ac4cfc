/**
 * Intercom's search query language and `starting_after` paging, as pure functions —
 * developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/conversations/searchconversations:
 * a query is one filter `{field, operator, value}` or a group `{operator: AND|OR, value: [...]}`
 * (nesting ≤ 2 levels, ≤ 15 filters a group); `>` and `<` are "greater/lower (or equal)";
 * `IN`/`NIN` take arrays; paging hands back an opaque `pages.next.starting_after`.
 */
export type Item = Record<string, unknown> & { id: string };

export class SearchQueryError extends Error {}

/** Max page size of the search endpoints (Intercom: 150). */
export const MAX_PER_PAGE = 150;

export function matches(item: Item, query: unknown, depth = 0): boolean {
  if (query === null || typeof query !== 'object') throw new SearchQueryError('query must be an object');
  const q = query as { field?: unknown; operator?: unknown; value?: unknown };
  if (q.operator === 'AND' || q.operator === 'OR') {
    if (depth >= 2) throw new SearchQueryError('nesting deeper than 2 levels');
    if (!Array.isArray(q.value) || q.value.length === 0 || q.value.length > 15)
      throw new SearchQueryError('a group needs 1 to 15 filters');
    const results = q.value.map((inner) => matches(item, inner, depth + 1));
    return q.operator === 'AND' ? results.every(Boolean) : results.some(Boolean);
  }
  if (typeof q.field !== 'string' || typeof q.operator !== 'string')
    throw new SearchQueryError('a filter needs field and operator');
  const actual = valueAt(item, q.field);
  const value = q.value;
  switch (q.operator) {
    case '=':
      return loose(actual) === loose(value);
    case '!=':
      return loose(actual) !== loose(value);
    case 'IN':
    case 'NIN': {
      if (!Array.isArray(value)) throw new SearchQueryError(`${q.operator} needs an array`);
      const found = value.some((v) => loose(v) === loose(actual));
      return q.operator === 'IN' ? found : !found;
    }
    case '>':
    case '<': {
      const a = Number(actual);
      const b = Number(value);
      if (!Number.isFinite(b)) throw new SearchQueryError(`${q.operator} needs a number`);
      if (actual === null || actual === undefined || !Number.isFinite(a)) return false;
      return q.operator === '>' ? a >= b : a <= b;
    }
    case '~':
      return String(actual ?? '').includes(String(value));
    default:
      throw new SearchQueryError(`operator ${q.operator} is not supported by the simulator`);
  }
}

/** `source.author.email`, `contact_ids` (the ids of `contacts.contacts`). */
function valueAt(item: Item, field: string): unknown {
  if (field === 'contact_ids') {
    const contacts = (item.contacts as { contacts?: Array<{ id: string }> } | undefined)?.contacts ?? [];
    return contacts[0]?.id;
  }
  let current: unknown = item;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function loose(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

export interface SearchPage {
  items: Item[];
  next: string | null;
  totalCount: number;
  page: number;
  totalPages: number;
}

/**
 * One page of matching items in (updated_at, id) order. The cursor is the position after the
 * page's last item, so an item updated while a client pages moves behind it and is read again
 * rather than skipped.
 */
export function searchPage(
  items: Iterable<Item>,
  query: unknown,
  perPage: number,
  startingAfter: string | null,
): SearchPage {
  const size = Math.max(1, Math.min(MAX_PER_PAGE, Math.floor(perPage)));
  const after = startingAfter === null ? null : decodePosition(startingAfter);
  const all = [...items].filter((item) => matches(item, query)).sort(byPosition);
  const rest = after ? all.filter((item) => byPosition(item, after) > 0) : all;
  const page = rest.slice(0, size);
  const last = page[page.length - 1];
  return {
    items: page,
    next: rest.length > size && last ? encodePosition(last) : null,
    totalCount: all.length,
    page: Math.floor((all.length - rest.length) / size) + 1,
    totalPages: Math.max(1, Math.ceil(all.length / size)),
  };
}

function updatedAt(item: { updated_at?: unknown }): number {
  return typeof item.updated_at === 'number' ? item.updated_at : 0;
}

function byPosition(
  a: { id: string; updated_at?: unknown },
  b: { id: string; updated_at?: unknown },
): number {
  return updatedAt(a) - updatedAt(b) || a.id.localeCompare(b.id, 'en', { numeric: true });
}

export function encodePosition(item: { id: string; updated_at?: unknown }): string {
  return Buffer.from(JSON.stringify([updatedAt(item), item.id]), 'utf8').toString('base64');
}

export function decodePosition(cursor: string): { id: string; updated_at: number } {
  try {
    const [ts, id] = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as [unknown, unknown];
    if (typeof ts === 'number' && typeof id === 'string') return { id, updated_at: ts };
  } catch {
    // fall through
  }
  throw new SearchQueryError('starting_after is not a cursor this workspace handed out');
}
