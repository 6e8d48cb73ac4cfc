import { z } from 'zod';
import { exportWarehouse } from './handlers/export-warehouse.js';
import { linkAndClassify, reclassifyIfTaxonomyChanged } from './handlers/link-classify.js';
import { notifyOwners } from './handlers/notify-owners.js';
import { publishDigest } from './handlers/publish-digest.js';
import { recomputeStatuses } from './handlers/recompute.js';
import { fetchTickets } from './handlers/refresh-tickets.js';
import { syncConnection } from './handlers/sync-connection.js';
import type { PipelineDeps } from './inline-runner.js';
import { idPart, type QueueName } from './queues.js';

/**
 * One job kind: where it queues, what its input must look like, how it is retried and
 * deduplicated, what it runs (a plain handler, unaware of BullMQ) and what it triggers next.
 */
export interface JobDefinition<Deps, Input = unknown> {
  queue: QueueName;
  /** Job data is validated on both sides: before it is added, and again by the worker. */
  input: z.ZodType<Input>;
  /**
   * Jobs with the same deduplication id never run at once: one may run and one more waits
   * with the latest input (BullMQ deduplication with `keepLastIfActive`). Null: no dedup.
   * Ids must not contain `:` (see `idPart`).
   */
  dedupId: ((input: Input) => string) | null;
  /** Attempts in all; retries back off exponentially from `backoffMs`. */
  attempts: number;
  backoffMs: number;
  /** Job kinds added (with empty input) when this one completes: the downstream pipeline. */
  next: readonly string[];
  run(deps: Deps, input: Input): Promise<unknown>;
}

/** A definition seen without its input type (the worker validates input with `input`). */
export interface AnyJobDefinition<Deps> extends Omit<JobDefinition<Deps>, 'dedupId' | 'run'> {
  dedupId: ((input: never) => string) | null;
  run(deps: Deps, input: never): Promise<unknown>;
}

export type Catalog<Deps> = Record<string, AnyJobDefinition<Deps>>;

/** Helps TypeScript keep each definition's own input type. */
function job<Input>(definition: JobDefinition<PipelineDeps, Input>): JobDefinition<PipelineDeps, Input> {
  return definition;
}

const connectionId = z.string().min(1, 'expected a connection id');
const empty = z.strictObject({});

/**
 * The jobs of the pipeline. The step jobs (link-classify, recompute, export) carry no ids:
 * the store's durable work marks (pending tickets, dirty customers, unexported rows) say what
 * to do, so jobs coalesce freely and a lost job loses nothing that the next one will not do.
 * No job data ever holds a secret: connectors read credentials from the store.
 */
export const jobCatalog = {
  sync: job({
    queue: 'sync',
    input: z.strictObject({ connectionId }),
    dedupId: (input) => `sync-${idPart(input.connectionId)}`,
    attempts: 5,
    backoffMs: 30_000,
    next: ['link-classify'],
    run: (deps, input) => syncConnection(deps, input),
  }),
  'refresh-tickets': job({
    queue: 'sync',
    input: z.strictObject({ connectionId, ticketIds: z.array(z.string().min(1)).min(1).max(100) }),
    dedupId: null,
    attempts: 5,
    backoffMs: 10_000,
    next: ['link-classify'],
    run: (deps, input) => fetchTickets(deps, input),
  }),
  'link-classify': job({
    queue: 'link-classify',
    input: empty,
    dedupId: () => 'link-classify',
    attempts: 5,
    backoffMs: 10_000,
    next: ['recompute'],
    run: async (deps) => {
      await reclassifyIfTaxonomyChanged(deps.store, deps.reasons, deps.logger);
      return linkAndClassify(deps);
    },
  }),
  recompute: job({
    queue: 'recompute',
    input: empty,
    dedupId: () => 'recompute',
    attempts: 5,
    backoffMs: 10_000,
    next: ['export'],
    run: (deps) => recomputeStatuses(deps),
  }),
  export: job({
    queue: 'export',
    input: empty,
    dedupId: () => 'export',
    attempts: 8,
    backoffMs: 10_000,
    next: [],
    run: (deps) => exportWarehouse(deps),
  }),
  digest: job({
    queue: 'digest',
    input: empty,
    dedupId: () => 'digest',
    attempts: 5,
    backoffMs: 60_000,
    next: [],
    // Posting is once per channel per day (the store's claim), so a retry never posts twice;
    // owner notes follow the digest, as in `run --once`.
    run: async (deps) => ({
      digest: await publishDigest(deps, { dryRun: false }),
      ownerNotes: await notifyOwners(deps, { dryRun: false }),
    }),
  }),
} satisfies Catalog<PipelineDeps>;
