import { UNCLASSIFIED } from '../../domain/reason.js';

export const OTHER_REASON = 'other';
export const OTHER_COLOR = '#9aa0a8';

/** Distinct categorical colors, none of them grey (grey is "other"). */
const PALETTE = [
  '#3b6fb6',
  '#e07b24',
  '#d1453b',
  '#2a9d8f',
  '#5aa036',
  '#d9b526',
  '#8e5cb5',
  '#e27fa8',
  '#8c6248',
  '#4fb3d9',
  '#1f7a4d',
  '#6b4fd9',
  '#b8c23a',
  '#b03a7c',
] as const;

/**
 * A reason's color is a function of the taxonomy's reason ids alone, so it stays the same across
 * reloads, days and filters. Each id (sorted, `unclassified` included) takes the palette slot
 * its hash names, or the next free one, so the reasons of one taxonomy never share a color until
 * the palette runs out; then, and for ids outside the taxonomy, the hash slot alone decides.
 */
export function reasonColors(taxonomyIds: readonly string[]): (reasonId: string) => string {
  const assigned = new Map<string, string>();
  const taken = new Set<number>();
  const ids = [...new Set([...taxonomyIds, UNCLASSIFIED])].sort();
  for (const id of ids) {
    if (taken.size === PALETTE.length) break;
    let slot = hash(id) % PALETTE.length;
    while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    assigned.set(id, PALETTE[slot]!);
  }
  return (reasonId) => {
    if (reasonId === OTHER_REASON) return OTHER_COLOR;
    return assigned.get(reasonId) ?? PALETTE[hash(reasonId) % PALETTE.length]!;
  };
}

/** FNV-1a, 32 bits: small, stable across runs and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
