import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigFile } from '../src/config.js';
import { compileTaxonomy } from '../src/domain/classify.js';
import { exportWarehouse } from '../src/jobs/handlers/export-warehouse.js';
import { linkAndClassify } from '../src/jobs/handlers/link-classify.js';
import { recomputeStatuses } from '../src/jobs/handlers/recompute.js';
import { syncConnection } from '../src/jobs/handlers/sync-connection.js';
import { createLogger } from '../src/logger.js';
import { packageRoot } from '../src/package-root.js';
import { openStore, openWarehouse } from '../src/store/open-store.js';
import type { Store, Warehouse } from '../src/store/store.js';
import { customerBatches, milestoneBatches, type SyntheticCompany } from './synthetic-company.js';
import { createSyntheticConnector } from './synthetic-connector.js';

/** What one scenario (one store, one company size) measured. */
export interface ScenarioResult {
  store: 'sqlite' | 'postgres';
  size: SyntheticCompany['size'];
  importMs: number;
  syncMs: number;
  /** Part of syncMs spent generating raw JSON (the helpdesk's side), not counted as ours. */
  generationMs: number;
  linkClassifyMs: number;
  /** The first recompute after the load: every customer is dirty then. */
  fullRecomputeMs: number;
  ticketsPerSecond: number;
  exportMs: number;
  incrementalTickets: number;
  /** New tickets → sync, link, classify, recompute affected customers, fresh metric periods. */
  incrementalMs: number;
  /** incrementalMs by step. */
  incrementalSplitMs: { sync: number; linkClassify: number; recompute: number };
  incrementalCustomers: number;
  /** Tickets link+classify went through: the new ones, plus history when the model retrained. */
  incrementalClassified: number;
  incrementalRetrained: boolean;
  incrementalExportMs: number;
  peakRssMb: number;
  /** CPU time of the scenario's process (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /**
   * What the process wrote to storage (Linux `/proc/self/io`), SQLite only (Postgres writes in
   * its own processes): index upkeep shows here first. Null where the kernel does not say.
   */
  writtenMb: number | null;
  statuses: Record<string, number>;
}

export interface ScenarioInput {
  store: 'sqlite' | 'postgres';
  databaseUrl: string;
  company: SyntheticCompany;
  incremental: number;
  progress: (line: string) => void;
}

const CONNECTION = 'bench';

/**
 * One benchmark run on a fresh database: import the company, load the whole ticket history
 * through the real handlers (sync → link+classify → recompute → export), then add
 * `incremental` new tickets and time the path to a fresh metric.
 */
export async function runScenario(input: ScenarioInput): Promise<ScenarioResult> {
  const root = packageRoot();
  const configPath = join(root, 'zerotickets.config.example.yaml');
  const settings = parseConfigFile(readFileSync(configPath, 'utf8'), configPath);
  const store = await openStore(input.databaseUrl);
  let warehouse: Warehouse | null = null;
  try {
    warehouse = await openWarehouse(input.databaseUrl, store);
    const connector = createSyntheticConnector(input.company, CONNECTION);
    const deps = {
      store,
      warehouse,
      logger: createLogger('warn'),
      now: () => input.company.now,
      progress: input.progress,
      openConnector: () => connector,
      taxonomy: compileTaxonomy(settings.reasons),
      metric: settings.metric,
      reasons: settings.reasons,
    };
    await store.saveConnection(
      { id: CONNECTION, kind: 'zendesk', settings: {}, secret: 'unused' },
      input.company.now,
    );

    const importMs = await timed(() => importCompany(store, input));
    const syncMs = await timed(() => syncConnection(deps, { connectionId: CONNECTION }));
    const generationMs = connector.generationMs;
    const linkClassifyMs = await timed(() => linkAndClassify(deps));
    const fullRecomputeMs = await timed(() => recomputeStatuses(deps));
    const exportMs = await timed(() => exportWarehouse(deps));
    const ours = syncMs - generationMs + linkClassifyMs + fullRecomputeMs;

    connector.available += input.incremental;
    const before = connector.generationMs;
    let incrementalCustomers = 0;
    let linked = { tickets: 0, retrained: false };
    const split = { sync: 0, linkClassify: 0, recompute: 0 };
    const incrementalMs = await timed(async () => {
      split.sync = await timed(() => syncConnection(deps, { connectionId: CONNECTION }));
      split.linkClassify = await timed(async () => {
        linked = await linkAndClassify(deps);
      });
      split.recompute = await timed(async () => {
        incrementalCustomers = (await recomputeStatuses(deps)).customers;
      });
    });
    const incrementalExportMs = await timed(() => exportWarehouse(deps));

    const statuses: Record<string, number> = {};
    for (const s of await store.listStatuses()) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    return {
      store: input.store,
      size: input.company.size,
      importMs,
      syncMs,
      generationMs,
      linkClassifyMs,
      fullRecomputeMs,
      ticketsPerSecond: Math.round(input.company.size.tickets / (ours / 1000)),
      exportMs,
      incrementalTickets: input.incremental,
      incrementalMs: incrementalMs - (connector.generationMs - before),
      incrementalSplitMs: { ...split, sync: split.sync - (connector.generationMs - before) },
      incrementalCustomers,
      incrementalClassified: linked.tickets,
      incrementalRetrained: linked.retrained,
      incrementalExportMs,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuSeconds: cpuSeconds(),
      writtenMb: input.store === 'sqlite' ? writtenMb() : null,
      statuses,
    };
  } finally {
    await warehouse?.close();
    await store.close();
  }
}

/** Customers and milestones in batches, as repeated imports would write them. */
async function importCompany(store: Store, input: ScenarioInput): Promise<void> {
  let customers = 0;
  for (const batch of customerBatches(input.company, 5000)) {
    await store.upsertCustomers(batch);
    customers += batch.length;
    input.progress(`import: ${customers} customers`);
  }
  let milestones = 0;
  for (const batch of milestoneBatches(input.company, 10_000)) {
    await store.upsertMilestones(batch);
    milestones += batch.length;
    input.progress(`import: ${milestones} milestones`);
  }
}

function cpuSeconds(): number {
  const usage = process.resourceUsage();
  return Math.round((usage.userCPUTime + usage.systemCPUTime) / 100_000) / 10;
}

function writtenMb(): number | null {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Math.round(Number(match[1]) / 2 ** 20) : null;
  } catch {
    return null;
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return Math.round(performance.now() - started);
}
