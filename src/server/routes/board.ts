import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { QUEUE_NAMES, type Queues } from '../../jobs/queues.js';

export const BOARD_PATH = '/queues';

/** bull-board, read-only (no retry, clean or remove buttons), for inspecting the queues. */
export function boardRoutes(queues: Queues): Hono {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queues[name], { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'zerotickets' } },
  });
  return adapter.registerPlugin();
}
