import { customType, date, jsonb } from 'drizzle-orm/pg-core';

/**
 * Epoch milliseconds in TypeScript, `timestamptz` in the database. Sessions run with
 * `TimeZone=UTC`, but any offset Postgres prints parses to the same instant.
 */
export const timestamptz = customType<{ data: number; driverData: string | Date }>({
  dataType: () => 'timestamp with time zone',
  toDriver: (ms) => new Date(ms).toISOString(),
  fromDriver: (value) => (value instanceof Date ? value.getTime() : Date.parse(value)),
});

export const json = <T>(name: string) => jsonb(name).$type<T>();
export const isoDate = (name: string) => date(name, { mode: 'string' });
