import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { errorMessage } from '../../errors.js';
import type { Store } from '../../store/store.js';

/**
 * `GET /healthz`, open to all (load balancers, compose healthchecks): 200 when the store answers
 * (and Redis, when configured), 503 naming what does not. It reveals no data.
 */
export function healthRoutes(deps: { store: Store; redis: Redis | null }): Hono {
  const routes = new Hono();
  routes.get('/healthz', async (c) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await deps.store.getState('healthz');
      checks.store = 'ok';
    } catch (error) {
      ok = false;
      checks.store = errorMessage(error);
    }
    if (deps.redis) {
      try {
        await deps.redis.ping();
        checks.redis = 'ok';
      } catch (error) {
        ok = false;
        checks.redis = errorMessage(error);
      }
    }
    return c.json({ ok, ...checks }, ok ? 200 : 503);
  });
  return routes;
}
