import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../fixtures/zendesk/', import.meta.url));

/** A recorded Zendesk payload (or its `.expected` normalized output) from test/fixtures/zendesk. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as T;
}

export function fixtureText(name: string): string {
  return readFileSync(`${DIR}${name}.json`, 'utf8');
}

export type RawPage = { tickets: Array<Record<string, unknown>>; users: unknown[]; organizations: unknown[] };
