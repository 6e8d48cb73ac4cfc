/**
 * A cheap test that lets the rules skip most regexes: a keyword or regex that cannot match a
 * ticket is not run on it (a ticket mentions few of the taxonomy's terms, and each regex scans
 * the whole text). Exact, never a guess: a term is skipped only when a word every match of it
 * must contain is missing from the ticket's tokens ({@link tokensFound}).
 *
 * Why it is exact: the patterns carry the flags `iu`, under which an ASCII letter or digit
 * matches only itself, its other case, U+212A (Kelvin sign, "k") and U+017F (long s, "s"); every
 * other ASCII character matches only itself. {@link tokensFound} folds exactly those characters
 * to `a–z0–9` and splits on everything else, so a run of letters and digits that a match must
 * hold between two non-word characters (or whitespace, or punctuation of the term) is one token.
 */

/**
 * The distinct tokens of a taxonomy's terms as a trie over `a–z0–9`, so that one pass over a
 * ticket's text, allocating nothing per word, tells which of them it holds.
 */
export interface TokenIndex {
  /** Token → id. */
  readonly ids: ReadonlyMap<string, number>;
  /** `node * 36 + slot` → child node; 0 is none (the root, node 0, is nobody's child). */
  readonly children: Int32Array;
  /** Node → 1 + id of the token that ends there; 0 for none. */
  readonly ends: Int32Array;
}

const SLOTS = 36;

export function tokenIndex(tokens: Iterable<string>): TokenIndex {
  const ids = new Map<string, number>();
  const children: number[] = new Array(SLOTS).fill(0);
  const ends: number[] = [0];
  for (const token of tokens) {
    if (ids.has(token)) continue;
    const id = ids.size;
    ids.set(token, id);
    // A token with a character a run never holds can never be found: it stays out of the trie.
    if (!/^[a-z0-9]+$/u.test(token)) continue;
    let node = 0;
    for (let i = 0; i < token.length; i += 1) {
      const at = node * SLOTS + slot(token.charCodeAt(i));
      if (children[at] === 0) {
        children[at] = ends.length;
        ends.push(0);
        for (let k = 0; k < SLOTS; k += 1) children.push(0);
      }
      node = children[at] as number;
    }
    ends[node] = id + 1;
  }
  return { ids, children: Int32Array.from(children), ends: Int32Array.from(ends) };
}

/**
 * Flags by token id: 1 when `text` (what the patterns run on, NFC) has a token, a maximal run
 * of ASCII letters and digits (with U+212A and U+017F) that lower-cased is that token.
 */
export function tokensFound(index: TokenIndex, text: string): Uint8Array {
  const found = new Uint8Array(index.ids.size);
  const { children, ends } = index;
  // -1 outside a run, -2 in a run no token starts with, else the trie node of the run so far.
  let node = -1;
  // One past the end reads NaN: a separator that closes the last run.
  for (let i = 0; i <= text.length; i += 1) {
    const c = text.charCodeAt(i);
    const s = c < 0x80 ? (ASCII_SLOTS[c] as number) : c === 0x212a ? K_SLOT : c === 0x17f ? S_SLOT : -1;
    if (s >= 0) {
      if (node === -1) node = 0;
      if (node >= 0) node = (children[node * SLOTS + s] as number) || -2;
    } else {
      if (node > 0 && (ends[node] as number) > 0) found[(ends[node] as number) - 1] = 1;
      node = -1;
    }
  }
  return found;
}

/** True when every token id in `needed` was found. */
export function foundAll(found: Uint8Array, needed: readonly number[]): boolean {
  for (const id of needed) if (found[id] !== 1) return false;
  return true;
}

/**
 * Tokens every match of the pattern built from keyword `key` (NFC, lower-cased, words joined by
 * one space; see `keywordPattern`) holds, or undefined when none can be told (a keyword that is
 * not ASCII, or is punctuation only): its regex then always runs. The pattern's edges and its
 * whitespace never touch a letter or digit, and its punctuation matches only itself.
 */
export function keywordTokens(key: string): readonly string[] | undefined {
  if (!/^\p{ASCII}*$/u.test(key)) return undefined;
  const runs = key.match(/[a-z0-9]+/gu);
  return runs === null ? undefined : runs;
}

/**
 * The token every match of the `iu` regex `source` holds, for the common shape "\b, a word,
 * then whitespace or \b" with no `|` outside a group (`\bapi (error|limit)s?\b` →
 * `api`); undefined for anything else (the regex then always runs).
 */
export function regexTokens(source: string): readonly string[] | undefined {
  // Case-sensitive on purpose: under `i`, [a-z] would also take "ſ" and "K" (U+212A).
  const lead = /^\\b([A-Za-z0-9]+)(?: (?![?*{])|\\s(?![?*{])|\\b)/u.exec(source);
  if (lead === null || hasTopLevelAlternative(source)) return undefined;
  return [(lead[1] as string).toLowerCase()];
}

/** A `|` outside any group or class, escapes skipped. */
function hasTopLevelAlternative(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth <= 0) return true;
  }
  return false;
}

/** Trie slot of a token character (`0–9`, `a–z`): digits 0–9, letters 10–35. */
function slot(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x61 + 10;
}

/** Slot of an ASCII character of a text (either case), -1 for a separator. */
const ASCII_SLOTS = Int8Array.from({ length: 0x80 }, (_, c) => {
  const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  return (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39) ? slot(lower) : -1;
});
/** U+212A (Kelvin sign) is "k", U+017F (long s) is "s". */
const K_SLOT = slot(0x6b);
const S_SLOT = slot(0x73);
