import { createHash } from 'node:crypto';
import type { Taxonomy } from '../../domain/classify.js';
import { startTaxonomyChange } from '../../domain/taxonomy-change.js';
import { ticketKey } from '../../domain/ticket.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import {
  readActiveChange,
  recordFinishedChange,
  TAXONOMY_STATE,
  writeActiveChange,
} from './taxonomy-state.js';

/**
 * The taxonomy is versioned by the hash of its content (what can change a verdict: see
 * `Taxonomy.fingerprint`). When the version changed since the last run, manual corrections of a
 * renamed reason follow it, corrections naming a removed reason are reported (and kept), and
 * every ticket goes back through classification; the moves are tallied as that happens.
 * Returns whether the version changed.
 */
export async function applyTaxonomyVersion(
  store: Store,
  taxonomy: Taxonomy,
  logger: Logger,
  at: number,
): Promise<boolean> {
  const version = taxonomyVersion(taxonomy);
  const previous = await store.getState(TAXONOMY_STATE.version);
  if (previous === version) return false;
  const previousIds = await store.getState(TAXONOMY_STATE.ids);
  // Written last, so a crash before the end makes the next run do all of this again.
  const commit = async () => {
    await store.setState(TAXONOMY_STATE.ids, JSON.stringify([...taxonomy.ids]));
    await store.setState(TAXONOMY_STATE.version, version);
  };
  if (previous === null) {
    // A new database: every ticket is pending anyway, and there is no history to compare.
    await commit();
    return false;
  }
  // A change whose reclassification never finished is logged with the moves it got to.
  const unfinished = await readActiveChange(store, logger);
  if (unfinished !== null && unfinished.toVersion === previous) await recordFinishedChange(store, unfinished);
  for (const [from, to] of taxonomy.renames) await store.renameManualReasons(from, to);
  const corrections = (await store.listManualReasons()).map((m) => ({
    ticket: ticketKey(m),
    reasonId: m.reasonId,
  }));
  const change = startTaxonomyChange({
    fromVersion: previous,
    toVersion: version,
    at,
    previousIds: parseIds(previousIds),
    taxonomy,
    corrections,
  });
  if (change.orphanedCorrections.length > 0) {
    logger.warn(
      { corrections: change.orphanedCorrections },
      'manual reasons name reasons the config no longer has: kept, not applied (add the reason back, or correct the tickets)',
    );
  }
  await writeActiveChange(store, change);
  const marked = await store.markAllTicketsPending();
  await commit();
  logger.info(
    { tickets: marked, from: previous, to: version },
    'reason taxonomy changed: reclassifying history',
  );
  return true;
}

/** A changed tag prefix changes which tags carry a reason: all history goes back through. */
export async function applyTagPrefix(store: Store, taxonomy: Taxonomy, logger: Logger): Promise<void> {
  const previous = await store.getState(TAXONOMY_STATE.tagPrefix);
  if (previous === taxonomy.tagPrefix) return;
  await store.setState(TAXONOMY_STATE.tagPrefix, taxonomy.tagPrefix);
  if (previous === null) return;
  const marked = await store.markAllTicketsPending();
  logger.info(
    { tickets: marked, tagPrefix: taxonomy.tagPrefix },
    'reason tag prefix changed: reclassifying history',
  );
}

export function taxonomyVersion(taxonomy: Taxonomy): string {
  return createHash('sha256').update(taxonomy.fingerprint).digest('hex').slice(0, 16);
}

function parseIds(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
  } catch {
    return null;
  }
}
