import { z } from 'zod';
import type { TaxonomyChange } from '../../domain/taxonomy-change.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';

/** State keys of the taxonomy's versioning (the `state` table; no schema of its own). */
export const TAXONOMY_STATE = {
  /** Hash of the reasons' content that decided the stored verdicts. */
  version: 'taxonomy_hash',
  /** JSON array of that version's reason ids, to tell added from removed next time. */
  ids: 'taxonomy_ids',
  tagPrefix: 'taxonomy_tag_prefix',
  /** The change whose reclassification is under way (JSON), absent when none is. */
  active: 'taxonomy_change',
  /** The last finished changes, newest first (JSON array). */
  history: 'taxonomy_changes',
} as const;

const HISTORY_KEPT = 20;

const changeSchema = z.object({
  fromVersion: z.string(),
  toVersion: z.string(),
  at: z.number(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
  moves: z.record(z.string(), z.number()),
  renamedTickets: z.number(),
  unchanged: z.number(),
  orphanedCorrections: z.array(z.object({ ticket: z.string(), reasonId: z.string() })),
});

export async function readActiveChange(store: Store, logger?: Logger): Promise<TaxonomyChange | null> {
  return parseChange(await store.getState(TAXONOMY_STATE.active), logger);
}

export async function writeActiveChange(store: Store, change: TaxonomyChange): Promise<void> {
  await store.setState(TAXONOMY_STATE.active, JSON.stringify(change));
}

/** Moves the active change to the front of the history and clears it. */
export async function recordFinishedChange(store: Store, change: TaxonomyChange): Promise<void> {
  const history = await listTaxonomyChanges(store);
  await store.setState(TAXONOMY_STATE.history, JSON.stringify([change, ...history].slice(0, HISTORY_KEPT)));
  // The state port has no delete: an empty value means "no change under way".
  await store.setState(TAXONOMY_STATE.active, '');
}

/** Finished taxonomy changes, newest first. */
export async function listTaxonomyChanges(store: Store): Promise<TaxonomyChange[]> {
  const text = await store.getState(TAXONOMY_STATE.history);
  if (text === null || text === '') return [];
  const parsed = z.array(changeSchema).safeParse(safeJson(text));
  return parsed.success ? parsed.data : [];
}

function parseChange(text: string | null, logger?: Logger): TaxonomyChange | null {
  if (text === null || text === '') return null;
  const parsed = changeSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    logger?.warn('the taxonomy change under way is unreadable: its move counts are lost');
    return null;
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
