import { contentWords } from './text-features.js';

/**
 * Taxonomy gaps: groups of unclassified tickets that share distinctive words, offered as
 * candidate new reasons. Each ticket is reduced to its few most distinctive words (TF-IDF,
 * with document frequencies taken over all recent tickets, so words every ticket uses weigh
 * nothing); tickets whose top words share a pair form a group, the largest group first.
 */
export interface SuggestDocument {
  /** `source/ticketId`. */
  key: string;
  subject: string;
  text: string;
}

export interface SuggestOptions {
  /** Top words kept per ticket. Default 6. */
  termsPerTicket?: number;
  /** Smallest group worth suggesting. Default 3. */
  minTickets?: number;
  /** At most this many suggestions. Default 5. */
  limit?: number;
  /** Example subjects per suggestion. Default 3. */
  examples?: number;
}

export interface ReasonSuggestion {
  /** A candidate id built from the two words that define the group. */
  id: string;
  /** Words most of the group's tickets share, most distinctive first: keyword candidates. */
  terms: string[];
  tickets: number;
  keys: string[];
  exampleSubjects: string[];
}

const MIN_WORD_LENGTH = 3;

/**
 * Candidate reasons among `unclassified`; `background` is every recent ticket's text (the
 * unclassified ones are added to it), which sets how common a word is.
 */
export function suggestReasons(
  unclassified: readonly SuggestDocument[],
  background: readonly string[],
  options: SuggestOptions = {},
): ReasonSuggestion[] {
  const termsPerTicket = options.termsPerTicket ?? 6;
  const minTickets = options.minTickets ?? 3;
  const docs = unclassified.map((d) => ({ doc: d, counts: termCounts(`${d.subject}\n${d.text}`) }));
  const documentFrequency = new Map<string, number>();
  const corpus = [
    ...background.map((text) => new Set(termCounts(text).keys())),
    ...docs.map((d) => new Set(d.counts.keys())),
  ];
  for (const terms of corpus)
    for (const t of terms) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log((corpus.length + 1) / ((documentFrequency.get(t) ?? 0) + 1)) + 1;
  const tops = docs.map(({ counts }) =>
    [...counts.entries()]
      .map(([t, n]) => ({ t, score: n * idf(t) }))
      .sort((a, b) => b.score - a.score || (a.t < b.t ? -1 : 1))
      .slice(0, termsPerTicket)
      .map((x) => x.t),
  );

  const suggestions: ReasonSuggestion[] = [];
  const remaining = new Set(docs.map((_, i) => i));
  while (suggestions.length < (options.limit ?? 5)) {
    const best = bestPair(remaining, tops, idf);
    if (best === null || best.members.length < minTickets) break;
    for (const i of best.members) remaining.delete(i);
    const members = best.members.map((i) => docs[i] as (typeof docs)[number]);
    suggestions.push({
      id: best.pair.map(slug).join('_'),
      terms: sharedTerms(
        members.map((m) => m.counts),
        best.pair,
        idf,
      ),
      tickets: members.length,
      keys: members.map((m) => m.doc.key),
      exampleSubjects: [...new Set(members.map((m) => headline(m.doc)))].slice(0, options.examples ?? 3),
    });
  }
  return suggestions;
}

/** The subject, or the first line of the text when there is none (chats often have no subject). */
function headline(doc: SuggestDocument): string {
  const subject = doc.subject.trim();
  if (subject !== '') return subject;
  const line = doc.text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of contentWords(text)) {
    if (w.length < MIN_WORD_LENGTH || /^\p{N}+$/u.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/** The pair of top words shared by the most remaining tickets; ties go to the rarer pair. */
function bestPair(
  remaining: ReadonlySet<number>,
  tops: readonly string[][],
  idf: (t: string) => number,
): { pair: [string, string]; members: number[] } | null {
  const byPair = new Map<string, number[]>();
  for (const i of remaining) {
    const terms = [...(tops[i] ?? [])].sort();
    for (let a = 0; a < terms.length; a += 1) {
      for (let b = a + 1; b < terms.length; b += 1) {
        const key = `${terms[a]} ${terms[b]}`;
        const list = byPair.get(key) ?? [];
        list.push(i);
        byPair.set(key, list);
      }
    }
  }
  let best: { key: string; members: number[]; weight: number } | null = null;
  for (const [key, members] of byPair) {
    const [a = '', b = ''] = key.split(' ');
    const weight = idf(a) + idf(b);
    if (
      best === null ||
      members.length > best.members.length ||
      (members.length === best.members.length &&
        (weight > best.weight || (weight === best.weight && key < best.key)))
    ) {
      best = { key, members, weight };
    }
  }
  if (best === null) return null;
  const [a = '', b = ''] = best.key.split(' ');
  return { pair: [a, b], members: best.members.sort((x, y) => x - y) };
}

/** The defining pair, then words at least half the group uses, by group frequency × rarity. */
function sharedTerms(
  members: ReadonlyArray<Map<string, number>>,
  pair: readonly [string, string],
  idf: (t: string) => number,
): string[] {
  const inDocs = new Map<string, number>();
  for (const counts of members) for (const t of counts.keys()) inDocs.set(t, (inDocs.get(t) ?? 0) + 1);
  const others = [...inDocs.entries()]
    .filter(([t, n]) => !pair.includes(t) && n * 2 >= members.length)
    .sort(([a, x], [b, y]) => y * idf(b) - x * idf(a) || (a < b ? -1 : 1))
    .map(([t]) => t);
  return [...pair, ...others].slice(0, 6);
}

function slug(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/gu, '')
    .slice(0, 20);
}
