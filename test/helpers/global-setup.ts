import { ensureServices } from './services.js';

/** Runs once before the integration project: Redis and Postgres must be reachable. */
export default async function setup(): Promise<void> {
  await ensureServices();
}
