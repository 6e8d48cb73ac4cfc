import { UNCLASSIFIED } from './reason.js';
import type { Taxonomy } from './taxonomy.js';
import { resolveReasonId } from './taxonomy.js';

/**
 * What a change of the reasons config did to history: which reasons came and went, and how
 * many tickets moved from which reason to which once every ticket went back through
 * classification. A ticket whose reason was only renamed (`renamedFrom`) did not move: its
 * meaning is the same.
 */
export interface TaxonomyChange {
  fromVersion: string;
  toVersion: string;
  /** Epoch ms when the change was noticed. */
  at: number;
  added: string[];
  removed: string[];
  renamed: Array<{ from: string; to: string }>;
  /** `from→to` → tickets that moved (`unclassified` on either side included). */
  moves: Record<string, number>;
  /** Tickets that kept their reason under its new name. */
  renamedTickets: number;
  /** Tickets whose reason did not change. */
  unchanged: number;
  /** Manual corrections naming a reason that no longer exists: kept, not applied, reported. */
  orphanedCorrections: Array<{ ticket: string; reasonId: string }>;
}

export interface ManualCorrection {
  /** `source/ticketId`. */
  ticket: string;
  reasonId: string;
}

/**
 * The change from a taxonomy whose reason ids were `previousIds` (null: unknown, e.g. the first
 * version recorded by an older zerotickets) to `taxonomy`, before any ticket is reclassified.
 */
export function startTaxonomyChange(input: {
  fromVersion: string;
  toVersion: string;
  at: number;
  previousIds: readonly string[] | null;
  taxonomy: Taxonomy;
  corrections: readonly ManualCorrection[];
}): TaxonomyChange {
  const { taxonomy } = input;
  const previous = new Set(input.previousIds ?? []);
  const known = input.previousIds !== null;
  return {
    fromVersion: input.fromVersion,
    toVersion: input.toVersion,
    at: input.at,
    added: known
      ? [...taxonomy.ids].filter((id) => !previous.has(id) && !wasRenamedFrom(taxonomy, id, previous))
      : [],
    removed: [...previous].filter((id) => resolveReasonId(taxonomy, id) === null).sort(),
    renamed: [...previous]
      .filter((id) => !taxonomy.ids.has(id) && taxonomy.renames.has(id))
      .sort()
      .map((from) => ({ from, to: taxonomy.renames.get(from) as string })),
    moves: {},
    renamedTickets: 0,
    unchanged: 0,
    orphanedCorrections: input.corrections
      .filter((c) => resolveReasonId(taxonomy, c.reasonId) === null)
      .map((c) => ({ ticket: c.ticket, reasonId: c.reasonId })),
  };
}

function wasRenamedFrom(taxonomy: Taxonomy, id: string, previous: ReadonlySet<string>): boolean {
  for (const [from, to] of taxonomy.renames) if (to === id && previous.has(from)) return true;
  return false;
}

/**
 * Adds reclassified tickets to the tally. `before` is the reason a ticket had (null when it had
 * never been classified: a new ticket is not a move), `after` the one it has now.
 */
export function tallyVerdicts(
  change: TaxonomyChange,
  taxonomy: Taxonomy,
  verdicts: ReadonlyArray<{ before: string | null; after: string }>,
): TaxonomyChange {
  const moves = { ...change.moves };
  let { renamedTickets, unchanged } = change;
  for (const { before, after } of verdicts) {
    if (before === null) continue;
    if (before === after) unchanged += 1;
    else if (before !== UNCLASSIFIED && resolveReasonId(taxonomy, before) === after) renamedTickets += 1;
    else {
      const key = `${before}→${after}`;
      moves[key] = (moves[key] ?? 0) + 1;
    }
  }
  return { ...change, moves, renamedTickets, unchanged };
}

/** The moves, largest first (then by name). */
export function listMoves(change: TaxonomyChange): Array<{ from: string; to: string; tickets: number }> {
  return Object.entries(change.moves)
    .map(([key, tickets]) => {
      const [from = '', to = ''] = key.split('→');
      return { from, to, tickets };
    })
    .sort((a, b) => b.tickets - a.tickets || (a.from + a.to < b.from + b.to ? -1 : 1));
}

/** Human lines for the CLI and the log; at most `maxMoves` moves, the largest. */
export function describeTaxonomyChange(change: TaxonomyChange, maxMoves = 15): string[] {
  const lines: string[] = [];
  const moved = Object.values(change.moves).reduce((a, b) => a + b, 0);
  lines.push(
    `reasons changed (${change.fromVersion} → ${change.toVersion}): ${tickets(moved)} moved, ` +
      `${change.renamedTickets} renamed, ${change.unchanged} unchanged`,
  );
  if (change.added.length > 0) lines.push(`  added: ${change.added.join(', ')}`);
  if (change.removed.length > 0) lines.push(`  removed: ${change.removed.join(', ')}`);
  for (const { from, to } of change.renamed) lines.push(`  renamed: ${from} → ${to}`);
  const moves = listMoves(change);
  for (const { from, to, tickets } of moves.slice(0, maxMoves)) lines.push(`  ${from} → ${to}: ${tickets}`);
  if (moves.length > maxMoves) lines.push(`  … and ${moves.length - maxMoves} smaller moves`);
  for (const { ticket, reasonId } of change.orphanedCorrections) {
    lines.push(`  correction of ${ticket} names removed reason "${reasonId}": kept, not applied`);
  }
  return lines;
}

function tickets(n: number): string {
  return n === 1 ? '1 ticket' : `${n} tickets`;
}
