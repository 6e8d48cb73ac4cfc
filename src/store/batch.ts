/**
 * Statement sizing shared by both adapters. SQLite refuses more than 32 766 bound parameters
 * per statement and Postgres more than 65 535; staying far below both keeps statements fast to
 * plan and the code the same for either database.
 */
const PARAMETERS_PER_STATEMENT = 10_000;

/** How many rows of `columns` bound values fit in one statement. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns));
}

/** Ids per `IN (...)` list. */
export const IDS_PER_STATEMENT = 1_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * One item per key, the last one given winning, in key order. An upsert that meets one key
 * twice in a statement fails in Postgres ("cannot affect row a second time"), and the later
 * copy of a record in a page is the newer one. Key order makes concurrent writers lock shared
 * rows in the same order, so they wait for each other instead of deadlocking.
 */
export function lastPerKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
