import { compileTaxonomy, resolveReasonId } from '../domain/classify.js';
import type { Reason } from '../domain/reason.js';
import type { Store, TicketKey } from '../store/store.js';

export type CorrectionOutcome =
  | { ok: true; key: TicketKey; reasonId: string | null; author: string }
  | { ok: false; field: 'reason' | 'ticket'; error: string };

/**
 * Records a manual reason for one ticket (null removes the correction). The reason must be one
 * of the config's reasons (a former id, `renamedFrom`, is stored as the current one) and the
 * ticket must have been synced. The correction wins over every rule from the next
 * link+classify pass on, and survives every later sync and reclassification.
 */
export async function correctTicketReason(
  deps: { store: Pick<Store, 'setManualReason'>; reasons: readonly Reason[]; now: () => number },
  input: { key: TicketKey; reasonId: string | null; author: string },
): Promise<CorrectionOutcome> {
  let reasonId: string | null = null;
  if (input.reasonId !== null) {
    reasonId = resolveReasonId(compileTaxonomy(deps.reasons), input.reasonId);
    if (reasonId === null) {
      const known = deps.reasons.map((r) => r.id).join(', ');
      return {
        ok: false,
        field: 'reason',
        error: `reason "${input.reasonId}" is not in the config (known: ${known})`,
      };
    }
  }
  const found = await deps.store.setManualReason(input.key, reasonId, input.author, deps.now());
  if (!found) {
    return {
      ok: false,
      field: 'ticket',
      error: `ticket ${input.key.source}/${input.key.ticketId} has not been synced (run a sync first)`,
    };
  }
  return { ok: true, key: input.key, reasonId, author: input.author };
}
