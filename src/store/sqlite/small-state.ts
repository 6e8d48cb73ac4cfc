import { and, eq } from 'drizzle-orm';
import type { SqliteDb } from './connection.js';
import { digestPosts, state } from './schema.js';

export function getState(db: SqliteDb, key: string): string | null {
  return db.select({ value: state.value }).from(state).where(eq(state.key, key)).get()?.value ?? null;
}

export function setState(db: SqliteDb, key: string, value: string): void {
  db.insert(state).values({ key, value }).onConflictDoUpdate({ target: state.key, set: { value } }).run();
}

export function claimDigest(db: SqliteDb, channel: string, day: string, at: number): boolean {
  return (
    db.insert(digestPosts).values({ channel, day, claimedAt: at }).onConflictDoNothing().run().changes === 1
  );
}

export function releaseDigest(db: SqliteDb, channel: string, day: string): void {
  db.delete(digestPosts)
    .where(and(eq(digestPosts.channel, channel), eq(digestPosts.day, day)))
    .run();
}
