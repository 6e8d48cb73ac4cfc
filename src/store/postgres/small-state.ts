import { and, eq } from 'drizzle-orm';
import type { PgDb } from './connection.js';
import { digestPosts, state } from './schema.js';

export async function getState(db: PgDb, key: string): Promise<string | null> {
  const [row] = await db.select({ value: state.value }).from(state).where(eq(state.key, key));
  return row?.value ?? null;
}

export async function setState(db: PgDb, key: string, value: string): Promise<void> {
  await db.insert(state).values({ key, value }).onConflictDoUpdate({ target: state.key, set: { value } });
}

export async function claimDigest(db: PgDb, channel: string, day: string, at: number): Promise<boolean> {
  const claimed = await db
    .insert(digestPosts)
    .values({ channel, day, claimedAt: at })
    .onConflictDoNothing()
    .returning({ day: digestPosts.day });
  return claimed.length === 1;
}

export async function releaseDigest(db: PgDb, channel: string, day: string): Promise<void> {
  await db.delete(digestPosts).where(and(eq(digestPosts.channel, channel), eq(digestPosts.day, day)));
}
