import { Hono } from 'hono';
import { z } from 'zod';
import type { Reason } from '../../domain/reason.js';
import { correctTicketReason } from '../../reasons/correct-ticket.js';
import { isSource } from '../../reasons/ticket-ref.js';
import type { Store, TicketKey } from '../../store/store.js';

export interface ReasonRoutesDeps {
  store: Pick<Store, 'setManualReason'>;
  /** The config's reasons: a correction must name one of them (or a former id of one). */
  reasons: readonly Reason[];
  now: () => number;
  /**
   * Called once a correction is stored, e.g. the dispatcher's `customersChanged` (link+classify,
   * then recompute), so the metric moves without waiting for the next scheduled run.
   */
  onCorrected?: (key: TicketKey) => Promise<void>;
}

const bodySchema = z.strictObject({
  /** A reason id, or null to remove the correction (the rules decide again). */
  reason: z.string().min(1).nullable(),
  /** Who corrected it, kept with the correction and shown as `manual:<author>`. */
  author: z.string().trim().min(1).max(200).optional(),
});

/**
 * `POST /api/tickets/:source/:id/reason` with `{"reason": "billing", "author": "ana"}`: a manual
 * reason that wins over every rule and survives every sync and reclassification. 200 with the
 * stored correction; 400 with a JSON body naming the bad field (`source`, `body`, `reason`,
 * `author`, `ticket`) for an unknown source, a malformed body, a reason the config does not
 * have, or a ticket that was never synced. Mounted by `serve` behind its bearer-token check.
 */
export function reasonRoutes(deps: ReasonRoutesDeps): Hono {
  const routes = new Hono();
  routes.post('/api/tickets/:source/:id/reason', async (c) => {
    const source = c.req.param('source');
    if (!isSource(source)) {
      return c.json({ error: `source "${source}": expected zendesk or intercom`, field: 'source' }, 400);
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json({ error: 'body: expected JSON like {"reason": "billing"}', field: 'body' }, 400);
    }
    const body = bodySchema.safeParse(raw);
    if (!body.success) {
      const issue = body.error.issues[0];
      const field = String(issue?.path[0] ?? 'body');
      return c.json({ error: `${field}: ${issue?.message ?? 'invalid'}`, field }, 400);
    }
    const key: TicketKey = { source, ticketId: c.req.param('id') };
    const outcome = await correctTicketReason(deps, {
      key,
      reasonId: body.data.reason,
      author: body.data.author ?? 'api',
    });
    if (!outcome.ok) return c.json({ error: outcome.error, field: outcome.field }, 400);
    await deps.onCorrected?.(key);
    return c.json(
      { source, ticketId: key.ticketId, reasonId: outcome.reasonId, author: outcome.author },
      200,
    );
  });
  return routes;
}
