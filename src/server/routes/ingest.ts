import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import type { Customer, Milestone } from '../../domain/customer.js';
import { customerRow, milestoneRow } from '../../import/rows.js';
import type { Store } from '../../store/store.js';
import type { WorkDispatcher } from '../dispatch.js';

/** More than this per request is a bulk load: use `zerotickets import` instead. */
export const MAX_ITEMS = 10_000;
const MAX_BYTES = 16 * 1024 * 1024;

type Rejection = { error: string; field: string; index?: number };

/**
 * The ingest API for the product backend: `POST /api/customers` and `POST /api/milestones`
 * take one object or an array shaped like the JSONL lines of `zerotickets import`. Everything
 * is validated before anything is written, then written in one store call (one transaction):
 * a request is stored whole or not at all. 202 once stored; the recompute follows.
 */
export function ingestRoutes(deps: { store: Store; dispatcher: WorkDispatcher }): Hono {
  const routes = new Hono();
  const limit = bodyLimit({
    maxSize: MAX_BYTES,
    onError: (c) => c.json({ error: `body: at most ${MAX_BYTES} bytes`, field: 'body' }, 413),
  });

  routes.post('/api/customers', limit, async (c) => {
    const items = await readItems(c);
    if ('error' in items) return c.json(items, 400);
    const parsed = parseAll(items.list, customerRow);
    if ('error' in parsed) return c.json(parsed, 400);
    const customers: Customer[] = parsed.rows;
    const seen = new Map<string, number>();
    for (const [index, customer] of customers.entries()) {
      const first = seen.get(customer.id);
      if (first !== undefined) {
        return c.json(
          { error: `[${index}] id: "${customer.id}" already given at [${first}]`, field: 'id', index },
          400,
        );
      }
      seen.set(customer.id, index);
    }
    const counts = await deps.store.upsertCustomers(customers);
    await deps.dispatcher.customersChanged();
    return c.json({ accepted: customers.length, ...counts }, 202);
  });

  routes.post('/api/milestones', limit, async (c) => {
    const items = await readItems(c);
    if ('error' in items) return c.json(items, 400);
    const parsed = parseAll(items.list, milestoneRow);
    if ('error' in parsed) return c.json(parsed, 400);
    const milestones: Milestone[] = parsed.rows;
    const counts = await deps.store.upsertMilestones(milestones);
    await deps.dispatcher.milestonesChanged();
    return c.json({ accepted: milestones.length, ...counts }, 202);
  });

  return routes;
}

async function readItems(c: Context): Promise<{ list: unknown[] } | Rejection> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return { error: 'body: expected a JSON object or array (Content-Type: application/json)', field: 'body' };
  }
  const list: unknown[] = Array.isArray(body) ? body : [body];
  if (list.length === 0) return { error: 'body: expected at least one item', field: 'body' };
  if (list.length > MAX_ITEMS) {
    return { error: `body: at most ${MAX_ITEMS} items per request (use zerotickets import)`, field: 'body' };
  }
  if (list.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    const index = list.findIndex((item) => typeof item !== 'object' || item === null || Array.isArray(item));
    return { error: `[${index}]: expected an object`, field: 'body', index };
  }
  return { list };
}

/** Parses every item; the first bad one is reported by its index and field path. */
function parseAll<T>(list: unknown[], schema: z.ZodType<T>): { rows: T[] } | Rejection {
  const rows: T[] = [];
  for (const [index, item] of list.entries()) {
    const result = schema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
      const where = list.length > 1 ? `[${index}] ` : '';
      return { error: `${where}${field}: ${issue.message}`, field, index };
    }
    rows.push(result.data);
  }
  return { rows };
}
