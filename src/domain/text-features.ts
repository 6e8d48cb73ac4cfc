/**
 * Words and word pairs of a ticket's text: what the learned classifier and the taxonomy-gap
 * finder look at. Pure and deterministic, so a model trained today reads tomorrow's ticket the
 * same way.
 */

/**
 * English function words and helpdesk pleasantries: frequent in every ticket, telling about none.
 * Deliberately short: words like "not", "can't" or "how" stay out of it, because "not loading"
 * and "how to" carry a reason.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about after again all am an and any are as at be been before being both but by could did do
  does doing for from further had has have having he her here hers him his i if in into is it its
  itself just me more most my myself no nor of off on once only or other our ours ourselves out own
  same she should so some such than that the their theirs them then there these they this those
  through to too under until up very was we were what when which while who whom why will with would
  you your yours yourself hi hello hey dear thanks thank regards best cheers please team kind
  s t d ll m re ve`.split(/\s+/u),
);

/** A run of digits longer than this is an amount, an id or a date part: it becomes `#`. */
const MAX_KEPT_DIGITS = 3;

/**
 * Lower-cased, NFC-normalized runs of letters and digits; anything else separates words
 * ("can't" → "can", "t"; "two-factor" → "two", "factor"). A number longer than three digits
 * becomes `#`, so "500" stays a word and an amount or an id does not.
 */
export function words(text: string): string[] {
  const lower = text.normalize('NFC').toLowerCase();
  return asciiWords(lower) ?? unicodeWords(lower);
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const NUMBER = /^\p{N}+$/u;

function unicodeWords(lower: string): string[] {
  const out: string[] = [];
  for (const match of lower.matchAll(WORD)) {
    const word = match[0];
    out.push(word.length > MAX_KEPT_DIGITS && NUMBER.test(word) ? '#' : word);
  }
  return out;
}

/**
 * {@link words} of an ASCII text (most tickets), without a regex: in ASCII the only letters are
 * a–z (the text is lower-cased) and the only digits 0–9. Null when a character is not ASCII.
 */
function asciiWords(lower: string): string[] | null {
  const out: string[] = [];
  let start = -1;
  let digitsOnly = true;
  for (let i = 0; i <= lower.length; i += 1) {
    // Past the end: NaN, a separator like any other.
    const c = lower.charCodeAt(i);
    if (c >= 0x80) return null;
    const digit = c >= 0x30 && c <= 0x39;
    if (digit || (c >= 0x61 && c <= 0x7a)) {
      if (start < 0) {
        start = i;
        digitsOnly = true;
      }
      if (!digit) digitsOnly = false;
      continue;
    }
    if (start < 0) continue;
    out.push(digitsOnly && i - start > MAX_KEPT_DIGITS ? '#' : lower.slice(start, i));
    start = -1;
  }
  return out;
}

/** Words that are not stop words and not `#`, in order. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w !== '#' && !STOPWORDS.has(w));
}

/**
 * Features for the classifier: every content word, plus every pair of adjacent words (`"log in"`,
 * `"not loading"`) unless both are stop words or either is `#`. Repeats are kept (the model is
 * multinomial: a word said three times weighs three times).
 */
export function textFeatures(text: string): string[] {
  const all = words(text);
  const features: string[] = [];
  let stop = all.length > 0 && STOPWORDS.has(all[0] as string);
  for (let i = 0; i < all.length; i += 1) {
    const word = all[i] as string;
    if (word !== '#' && !stop) features.push(word);
    const next = all[i + 1];
    if (next === undefined) break;
    const nextStop = STOPWORDS.has(next);
    if (word !== '#' && next !== '#' && !(stop && nextStop)) features.push(`${word} ${next}`);
    stop = nextStop;
  }
  return features;
}

/**
 * FNV-1a (32-bit) of a string: a stable, well-spread number for splitting tickets into training
 * and held-out sets by key, the same on every machine and in every run.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
