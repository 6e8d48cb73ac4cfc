import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { ConfigError } from '../errors.js';
import { issueText } from '../import/rows.js';
import type { Catalog } from './catalog.js';
import type { Queues } from './queues.js';

export interface Enqueued {
  name: string;
  /**
   * The id this add asked for. The job may never exist under it: deduplication folds an add
   * into a job that has not started yet, or keeps it to be created when the running one ends.
   */
  jobId: string;
  dedupId: string | null;
  /** When it was added (epoch ms): a job that *starts* after this sees what came before. */
  addedAt: number;
}

/**
 * Adds one job of the catalog: input validated, retries and backoff from its definition, and
 * deduplicated with `keepLastIfActive` when it has a dedup id (never two at once; at most one
 * more waits, with the latest input). Re-adding is therefore always harmless.
 */
export async function enqueueJob<Deps>(
  queues: Queues,
  catalog: Catalog<Deps>,
  name: string,
  input: unknown,
): Promise<Enqueued> {
  const definition = catalog[name];
  if (!definition) throw new ConfigError(`job "${name}": not in the job catalog`);
  const parsed = definition.input.safeParse(input);
  if (!parsed.success) throw new ConfigError(`job "${name}": ${issueText(parsed.error)}`);
  const dedupId = definition.dedupId ? definition.dedupId(parsed.data as never) : null;
  // Our own id (BullMQ reserves `:` in custom ids) lets a waiter recognise exactly this job.
  const jobId = `${name}-${randomUUID()}`;
  const addedAt = Date.now();
  await queues[definition.queue].add(name, parsed.data, {
    jobId,
    attempts: definition.attempts,
    backoff: { type: 'exponential', delay: definition.backoffMs },
    ...(dedupId === null ? {} : { deduplication: { id: dedupId, keepLastIfActive: true } }),
  });
  return { name, jobId, dedupId, addedAt };
}

export interface StageOutcome {
  job: Job;
  returnvalue: unknown;
}

/**
 * Waits until the work an add asked for is done, and fails when it failed for good: the job
 * created under the add's own id, or else (deduplication folded the add into another job) the
 * first job of that name and dedup id that *started* at or after the add. Such a job sees all
 * that was committed before. Start times are the workers' clocks: keep machines NTP-synced.
 */
export async function waitForStage<Deps>(
  queues: Queues,
  catalog: Catalog<Deps>,
  stage: Enqueued,
  options: { pollMs?: number; sleep?: (ms: number) => Promise<void>; signal?: AbortSignal } = {},
): Promise<StageOutcome> {
  const definition = catalog[stage.name];
  if (!definition) throw new ConfigError(`job "${stage.name}": not in the job catalog`);
  const queue = queues[definition.queue];
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const sameWork = (job: Job) =>
    job.name === stage.name &&
    (stage.dedupId === null || job.deduplicationId === stage.dedupId) &&
    (job.processedOn ?? 0) >= stage.addedAt;
  for (;;) {
    if (options.signal?.aborted) throw new Error(`stopped waiting for ${stage.name}`);
    const [completed, failed] = await Promise.all([
      queue.getJobs(['completed'], 0, 199, false),
      queue.getJobs(['failed'], 0, 199, false),
    ]);
    const finished = [
      ...completed.map((job) => ({ job, failed: false })),
      ...failed.map((job) => ({ job, failed: true })),
    ];
    // Our own job when it exists; else the earliest run that started after the add.
    let match = finished.find((f) => f.job.id === stage.jobId);
    if (!match && (await queue.getJobState(stage.jobId)) === 'unknown') {
      match = finished
        .filter((f) => sameWork(f.job))
        .sort((a, b) => (a.job.processedOn ?? 0) - (b.job.processedOn ?? 0))[0];
    }
    if (match?.failed) {
      throw new Error(`${stage.name} failed: ${(match.job.failedReason ?? 'unknown error').split('\n')[0]}`);
    }
    if (match) return { job: match.job, returnvalue: match.job.returnvalue };
    await sleep(options.pollMs ?? 250);
  }
}

/**
 * `sync --wait`: waits for the given jobs, then for the steps each finished job added (sync →
 * link-classify → recompute → export). When several jobs added the same step, the last add
 * is waited for: the run that covers it covers the others. Fails as soon as a step failed.
 */
export async function waitForPipeline<Deps>(
  queues: Queues,
  catalog: Catalog<Deps>,
  started: Enqueued[],
  options: { pollMs?: number; sleep?: (ms: number) => Promise<void>; progress?: (line: string) => void } = {},
): Promise<Array<{ name: string; result: unknown }>> {
  const steps: Array<{ name: string; result: unknown }> = [];
  let pending = started;
  while (pending.length > 0) {
    const added: Enqueued[] = [];
    for (const stage of pending) {
      options.progress?.(`waiting: ${stage.name}`);
      const outcome = await waitForStage(queues, catalog, stage, options);
      const value = outcome.returnvalue as { result?: unknown; next?: Enqueued[] } | null;
      steps.push({ name: stage.name, result: value?.result ?? null });
      added.push(...(value?.next ?? []));
    }
    pending = lastPerName(added);
  }
  return steps;
}

function lastPerName(added: Enqueued[]): Enqueued[] {
  const last = new Map<string, Enqueued>();
  for (const stage of added) {
    const seen = last.get(stage.name);
    if (!seen || seen.addedAt <= stage.addedAt) last.set(stage.name, stage);
  }
  return [...last.values()];
}
