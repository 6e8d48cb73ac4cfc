import { customType, integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Epoch milliseconds in TypeScript, ISO-8601 UTC text in the file: the Contract's format, and
 * fixed-width text sorts and compares like the instants it holds.
 */
export const isoTime = customType<{ data: number; driverData: string }>({
  dataType: () => 'text',
  toDriver: (ms) => new Date(ms).toISOString(),
  fromDriver: (iso) => Date.parse(iso),
});

export const bool = (name: string) => integer(name, { mode: 'boolean' });
export const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();
