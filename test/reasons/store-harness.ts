import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema } from '../helpers/postgres.js';

export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

/** A fresh, migrated store of either dialect: a temp SQLite file, or a throwaway Postgres schema. */
export const DIALECTS: Array<[string, () => Promise<OpenedStore>]> = [
  [
    'sqlite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zt-reasons-'));
      const store = await openStore(`file:${join(dir, 'zt.db')}`);
      return {
        store,
        close: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = await createTestSchema();
      const store = await openStore(schema.url);
      return {
        store,
        close: async () => {
          await store.close();
          await schema.drop();
        },
      };
    },
  ],
];
