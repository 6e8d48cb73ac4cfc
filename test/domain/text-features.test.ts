import { describe, expect, it } from 'vitest';
import { contentWords, stableHash, textFeatures, words } from '../../src/domain/text-features.js';

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

describe('stableHash', () => {
  it('is FNV-1a: the published test vectors', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
  });
});
