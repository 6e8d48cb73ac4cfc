import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { App } from '../../app.js';
import { readDashboardAsset, readDashboardShell } from '../../outputs/dashboard/assets.js';
import {
  badDaysData,
  cohortsData,
  headlineData,
  parseBucket,
  parsePeriod,
  QueryError,
  qualityData,
  reasonsData,
  ticketsData,
  trendData,
} from '../../outputs/dashboard/data.js';

/**
 * Auth handshake with `serve`'s bearer middleware (decided here; serve.ts follows it):
 *
 * - `GET /` is the one dashboard route the middleware lets through without a token. It returns
 *   the shell page, which holds no data: 200 when the token is not required or is sent, and 401
 *   with the *same* HTML otherwise, so a browser user sees a token prompt instead of a bare 401.
 * - The shell keeps the token in sessionStorage and sends it as `Authorization: Bearer` on every
 *   fetch; it fetches the stylesheet, Chart.js and the page script itself (a `<script src>`
 *   cannot carry a header), so `/assets/*` and `/api/*` stay behind the middleware like every
 *   other route of the Contract.
 */
export const DASHBOARD_OPEN_PATH = '/';

export interface DashboardOptions {
  /** `ZT_API_TOKEN`; when set, `GET /` answers 401 (with the prompt page) without it. */
  apiToken?: string | undefined;
}

/** The dashboard's routes: the page, its assets and the JSON endpoints behind it (read-only). */
export function dashboardRoutes(app: App, options: DashboardOptions = {}): Hono {
  const routes = new Hono();
  const token = options.apiToken ?? app.env.ZT_API_TOKEN;

  routes.get('/', (c) => {
    const allowed = token === undefined || bearerMatches(c.req.header('authorization'), token);
    c.header('cache-control', 'no-store');
    if (!allowed) c.header('WWW-Authenticate', 'Bearer realm="zerotickets"');
    return c.html(readDashboardShell(), allowed ? 200 : 401);
  });

  routes.get('/assets/:name', (c) => {
    const asset = readDashboardAsset(c.req.param('name'));
    if (!asset) return c.json({ error: 'no such asset' }, 404);
    c.header('content-type', asset.contentType);
    c.header('cache-control', 'no-cache');
    return c.body(asset.body);
  });

  routes.get('/api/headline', async (c) => c.json(await headlineData(app)));
  routes.get('/api/trend', async (c) =>
    withQuery(c, () => trendData(app, parsePeriod(c.req.query('period')), c.req.query('limit'))),
  );
  routes.get('/api/cohorts', async (c) =>
    withQuery(c, () => cohortsData(app, parsePeriod(c.req.query('period')), c.req.query('limit'))),
  );
  routes.get('/api/bad-days', async (c) =>
    withQuery(c, () => badDaysData(app, parseBucket(c.req.query('bucket')), c.req.query('top'))),
  );
  routes.get('/api/reasons', async (c) => c.json(await reasonsData(app)));
  routes.get('/api/quality', async (c) => c.json(await qualityData(app)));
  routes.get('/api/tickets', async (c) =>
    withQuery(c, () => ticketsData(app, c.req.query('reason'), c.req.query('limit'))),
  );
  return routes;
}

/** Bad query parameters answer 400 with a body naming the parameter. */
async function withQuery(c: Context, build: () => Promise<unknown>): Promise<Response> {
  try {
    return c.json(await build());
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message, field: error.field }, 400);
    throw error;
  }
}

/** Constant-time comparison of `Authorization: Bearer <token>` with the configured token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
