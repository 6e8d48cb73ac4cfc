import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTicket, compileTaxonomy, keywordPattern, type Taxonomy } from '../../src/domain/classify.js';
import { keywordTokens, regexTokens, tokenIndex, tokensFound } from '../../src/domain/rule-tokens.js';
import { FUZZ } from '../fuzz/fuzz-settings.js';

/**
 * A text's tokens by their definition: maximal runs of ASCII letters and digits, with U+212A
 * and U+017F, folded as `iu` folds them. The trie must find exactly these.
 */
function referenceTokens(text: string): Set<string> {
  const folded = text.replace(/[\u212A\u017F]/gu, (c) => (c === '\u212A' ? 'k' : 's'));
  return new Set(folded.match(/[A-Za-z0-9]+/gu)?.map((run) => run.toLowerCase()) ?? []);
}

function holds(text: string, tokens: readonly string[]): boolean {
  const index = tokenIndex(tokens);
  const found = tokensFound(index, text);
  return tokens.every((t) => found[index.ids.get(t) as number] === 1);
}

describe('tokensFound', () => {
  it.each([
    ['Cannot LOG-in: error_500!', ['cannot', 'log', 'in', 'error', '500']],
    ['Café crème', ['caf', 'cr', 'me']],
    // Kelvin sign and long s fold as `iu` folds them.
    ['\u212Aey \u017Fso', ['key', 'sso']],
  ])('%j holds %j', (text, tokens) => {
    expect(holds(text, tokens)).toBe(true);
  });

  it.each([
    ['logging in', ['log']],
    ['login', ['log', 'in']],
    ['error_500', ['error500']],
    ['', ['a']],
  ])('%j does not hold all of %j', (text, tokens) => {
    expect(holds(text, tokens)).toBe(false);
  });
});

describe('keywordTokens / regexTokens', () => {
  it.each([
    ['payment failed', ['payment', 'failed']],
    ['two-factor', ['two', 'factor']],
    ['c++', ['c']],
    ['500', ['500']],
    ['++', undefined],
    ['café', undefined],
  ])('keyword %j → %j', (key, expected) => {
    expect(keywordTokens(key)).toEqual(expected);
  });

  it.each([
    [String.raw`\bapi (error|limit)s?\b`, ['api']],
    [String.raw`\bAPI\s+key`, ['api']],
    [String.raw`\bapi\b`, ['api']],
    [String.raw`\bapi`, undefined],
    [String.raw`\bapis?`, undefined],
    [String.raw`\bapi ?key`, undefined],
    [String.raw`\bapi\s*key`, undefined],
    [String.raw`\bapi|key`, undefined],
    [String.raw`\bapi (x)|key`, undefined],
    [String.raw`\bapi [|](a|b)`, ['api']],
    [String.raw`\bapi\b\|x`, ['api']],
    [String.raw`\bapi\|x`, undefined],
    [String.raw`api\b`, undefined],
    [String.raw`\b\u017Fso`, undefined],
  ])('regex %j → %j', (source, expected) => {
    expect(regexTokens(source)).toEqual(expected);
  });
});

/**
 * The prefilter must never skip a term that matches: whenever the term's regex matches a text,
 * the text's tokens hold all of the term's tokens. Texts are drawn from the characters where
 * that could go wrong (case pairs, U+212A, U+017F, İ, combining marks, `_`, punctuation).
 */
describe('the prefilter never skips a match', () => {
  const pieces = fc.constantFrom(
    'a',
    'A',
    'k',
    'K',
    '\u212A',
    's',
    'S',
    '\u017F',
    'i',
    'I',
    '\u0130',
    '\u0131',
    'e',
    'é',
    'e\u0301',
    'x',
    '2',
    '5',
    '0',
    '_',
    '-',
    '+',
    ' ',
    '  ',
    '\n',
    '\u00A0',
    '.',
    '€',
    '日',
    'sso',
    'SSO',
    'key',
    'api',
    'API',
    'error',
    'limit',
    'two',
    'factor',
    'c++',
    '500',
    'fa',
  );
  const text = fc.array(pieces, { maxLength: 16 }).map((p) => p.join(''));
  const keyword = fc.oneof(
    fc.array(pieces, { minLength: 1, maxLength: 5 }).map((p) => p.join('')),
    fc.constantFrom('sso', 'api key', 'two-factor', 'c++', '500', 'key', 'sk', 'error 500'),
  );
  const regex = fc.constantFrom(
    String.raw`\bapi (error|limit)s?\b`,
    String.raw`\bsso\b`,
    String.raw`\bkey\s+api`,
    String.raw`\bSSO\b(x|\s)`,
    String.raw`\bk`,
    String.raw`\bs (a|b)`,
    String.raw`\bkey\b`,
    String.raw`\bs\s+k`,
    String.raw`\bsK\b|x`,
  );

  it('the trie finds exactly the tokens of the definition', () => {
    const token = fc.oneof(
      fc.constantFrom('a', 'k', 's', 'sso', 'ss', 'key', 'api', '500', '50', 'two', 'factor', 'e', 'x2'),
      fc.stringMatching(/^[a-z0-9]{1,4}$/u),
    );
    fc.assert(
      fc.property(fc.uniqueArray(token, { maxLength: 8 }), text, (tokens, t) => {
        const index = tokenIndex(tokens);
        const found = tokensFound(index, t);
        const expected = referenceTokens(t);
        for (const token of tokens)
          expect(found[index.ids.get(token) as number] === 1).toBe(expected.has(token));
      }),
      { ...FUZZ, numRuns: FUZZ.numRuns * 20 },
    );
  });

  it('keywords', () => {
    fc.assert(
      fc.property(keyword, text, (raw, t) => {
        const key = raw.normalize('NFC').trim().toLowerCase().split(/\s+/u).join(' ');
        fc.pre(key !== '');
        const normalized = t.normalize('NFC');
        const tokens = keywordTokens(key);
        if (tokens !== undefined && keywordPattern(key).test(normalized))
          expect(tokens.every((token) => referenceTokens(normalized).has(token))).toBe(true);
      }),
      { ...FUZZ, numRuns: FUZZ.numRuns * 20 },
    );
  });

  it('regexes', () => {
    fc.assert(
      fc.property(regex, text, (source, t) => {
        const normalized = t.normalize('NFC');
        const tokens = regexTokens(source);
        if (tokens !== undefined && new RegExp(source, 'iu').test(normalized))
          expect(tokens.every((token) => referenceTokens(normalized).has(token))).toBe(true);
      }),
      { ...FUZZ, numRuns: FUZZ.numRuns * 20 },
    );
  });

  it('compiled taxonomies carry the tokens of their terms', () => {
    const taxonomy = compileTaxonomy([
      {
        id: 'integration',
        title: 'Integration',
        owner: null,
        countsTowardMetric: true,
        match: { keywords: ['API key', 'café'], regex: [String.raw`\bapi (error|limit)s?\b`, 'x|y'] },
      },
    ]);
    const [reason] = taxonomy.reasons;
    expect(reason?.keywords.map((k) => k.tokens)).toEqual([['api', 'key'], undefined]);
    expect(reason?.regexes.map((r) => r.tokens)).toEqual([['api'], undefined]);
  });

  it('classifyTicket decides as it does with every regex run', () => {
    const taxonomy = compileTaxonomy([
      {
        id: 'login',
        title: 'Login',
        owner: null,
        countsTowardMetric: true,
        match: { keywords: ['SSO', 'log in', 'two-factor', 'key'], regex: [String.raw`\bs (a|b)`] },
      },
      {
        id: 'api',
        title: 'API',
        owner: null,
        countsTowardMetric: true,
        match: {
          keywords: ['api key', 'c++', 'error 500', 'é'],
          regex: [String.raw`\bapi (error|limit)s?\b`],
        },
      },
    ]);
    // The same patterns without tokens: nothing is skipped.
    const unfiltered: Taxonomy = {
      ...taxonomy,
      reasons: taxonomy.reasons.map((r) => ({
        ...r,
        keywords: r.keywords.map(({ keyword, pattern }) => ({ keyword, pattern })),
        regexes: r.regexes.map(({ source, pattern }) => ({ source, pattern })),
      })),
    };
    fc.assert(
      fc.property(text, (t) => {
        const input = { tags: [], fields: {}, text: t, manualReasonId: null };
        expect(classifyTicket(input, taxonomy)).toEqual(classifyTicket(input, unfiltered));
      }),
      { ...FUZZ, numRuns: FUZZ.numRuns * 20 },
    );
  });
});
