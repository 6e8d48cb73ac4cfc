import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentWords, STOPWORDS, stableHash, textFeatures, words } from '../../src/domain/text-features.js';
import { FUZZ } from '../fuzz/fuzz-settings.js';

describe('words', () => {
  it.each([
    ['Can’t LOG in!', ['can', 't', 'log', 'in']],
    ['Error 500 on invoice 104233', ['error', '500', 'on', 'invoice', '#']],
    ['Café crème', ['café', 'crème']],
    ['2FA / two-factor', ['2fa', 'two', 'factor']],
  ])('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe('textFeatures', () => {
  it('keeps content words and adjacent pairs unless both are stop words', () => {
    expect(textFeatures('I cannot log in to the dashboard')).toEqual([
      'i cannot',
      'cannot',
      'cannot log',
      'log',
      'log in',
      'the dashboard',
      'dashboard',
    ]);
  });

  it('never pairs across a collapsed number', () => {
    expect(textFeatures('invoice 99999 attached')).toEqual(['invoice', 'attached']);
  });

  it('drops stop words from content words', () => {
    expect(contentWords('Hi team, thanks for the quick reply')).toEqual(['quick', 'reply']);
  });
});

/**
 * The straightforward definitions (one regex over the text, every adjacent pair): the fast paths
 * (a scan for ASCII texts, stop words looked up once) must agree with them on any text.
 */
function referenceWords(text: string): string[] {
  return [
    ...text
      .normalize('NFC')
      .toLowerCase()
      .matchAll(/[\p{L}\p{M}\p{N}]+/gu),
  ].map(([word]) => (/^\p{N}+$/u.test(word) && word.length > 3 ? '#' : word));
}

function referenceFeatures(text: string): string[] {
  const all = referenceWords(text);
  return all.flatMap((word, i) => {
    const next = all[i + 1];
    const out = word !== '#' && !STOPWORDS.has(word) ? [word] : [];
    if (next === undefined || word === '#' || next === '#') return out;
    return STOPWORDS.has(word) && STOPWORDS.has(next) ? out : [...out, `${word} ${next}`];
  });
}

describe('words and textFeatures agree with their reference on any text', () => {
  const piece = fc.oneof(
    fc.constantFrom('the', 'to', 'log', 'in', 'Not', 'LOADING', '2fa', '500', '1234', '0042', ' ', '-', "'"),
    fc.constantFrom('\n', '\t', '_', '#', '€', 'É', 'e\u0301', '日本', '١٢٣٤', '²', 'ſ', '\u212A', 'İ'),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
    fc.string({ maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 20 }).map((p) => p.join(''));

  it('on any text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(words(t)).toEqual(referenceWords(t));
        expect(textFeatures(t)).toEqual(referenceFeatures(t));
      }),
      { ...FUZZ, numRuns: FUZZ.numRuns * 10 },
    );
  });
});

describe('stableHash', () => {
  it('is FNV-1a: the published test vectors', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
  });
});
