import { afterEach, beforeEach, describe } from 'vitest';
import type { Store, Warehouse } from '../../src/store/store.js';
import { customersContract } from './contract/customers.js';
import { linkAndRecomputeContract } from './contract/link-and-recompute.js';
import { reportsContract } from './contract/reports.js';
import { syncContract } from './contract/sync.js';
import { warehouseContract } from './contract/warehouse.js';
import type { WarehouseSnapshot } from './warehouse-snapshot.js';

export interface StoreHarness {
  store: Store;
  warehouse: Warehouse;
  /** Every `zt_*` row, read through the adapter's own schema. */
  snapshot(): Promise<WarehouseSnapshot>;
  cleanup(): Promise<void>;
}

/**
 * The one conformance suite every `Store` and `Warehouse` adapter must pass. `open` returns a
 * fresh, empty, migrated database each time: every test starts from nothing.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`${name} (store contract)`, () => {
    let harness: StoreHarness | null = null;
    const h = (): StoreHarness => {
      if (!harness) throw new Error('the harness is opened in beforeEach');
      return harness;
    };
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      await harness?.cleanup();
      harness = null;
    });

    syncContract(h);
    customersContract(h);
    linkAndRecomputeContract(h);
    reportsContract(h);
    warehouseContract(h);
  });
}
