import { describe, expect, it } from 'vitest';
import { naiveBayesModelSchema, predictNaiveBayes, trainNaiveBayes } from '../../src/domain/naive-bayes.js';

const corpus = [
  { text: 'refund my invoice please', label: 'billing' },
  { text: 'invoice shows the wrong amount', label: 'billing' },
  { text: 'charged twice, need a refund', label: 'billing' },
  { text: 'cannot log in, password reset fails', label: 'login' },
  { text: 'password reset link expired', label: 'login' },
  { text: 'locked out after password change', label: 'login' },
];

describe('trainNaiveBayes / predictNaiveBayes', () => {
  const model = trainNaiveBayes(corpus);

  it.each([
    ['a refund for the invoice', 'billing'],
    ['my password reset does not work', 'login'],
  ])('%s → %s', (text, label) => {
    expect(predictNaiveBayes(model, text)?.label).toBe(label);
  });

  it('gives no prediction for text with no known feature', () => {
    expect(predictNaiveBayes(model, 'the weather is lovely')).toBeNull();
  });

  it('is more confident with more evidence, and always within (0, 1]', () => {
    const weak = predictNaiveBayes(model, 'refund')?.confidence ?? 0;
    const strong = predictNaiveBayes(model, 'refund invoice charged twice refund')?.confidence ?? 0;
    expect(weak).toBeGreaterThan(0.5);
    expect(strong).toBeGreaterThan(weak);
    expect(strong).toBeLessThanOrEqual(1);
  });

  it('drops features seen in fewer than minDocuments documents', () => {
    expect(Object.keys(model.counts)).toContain('password');
    expect(Object.keys(model.counts)).not.toContain('locked');
    expect(Object.keys(trainNaiveBayes(corpus, { minDocuments: 1 }).counts)).toContain('locked');
  });

  it('caps the vocabulary at maxFeatures, keeping the most frequent (ties alphabetically)', () => {
    const capped = trainNaiveBayes(corpus, { minDocuments: 1, maxFeatures: 2 });
    // password: 3 times; invoice, refund, reset, "password reset": twice each.
    expect(Object.keys(capped.counts).sort()).toEqual(['invoice', 'password']);
  });

  it('survives a JSON round trip (the store keeps it as text) and is deterministic', () => {
    const again = naiveBayesModelSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(predictNaiveBayes(again, 'refund please')).toEqual(predictNaiveBayes(model, 'refund please'));
    expect(trainNaiveBayes([...corpus].reverse())).toEqual(model);
  });

  it('needs two labels', () => {
    expect(() => trainNaiveBayes(corpus.filter((c) => c.label === 'billing'))).toThrow(/two labels/);
  });
});
