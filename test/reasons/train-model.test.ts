import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_SETTINGS,
  labelChanges,
  retrainThreshold,
} from '../../src/jobs/handlers/train-model.js';

describe('when the model is retrained', () => {
  it.each([
    [{ a: 10, b: 5 }, { a: 10, b: 5 }, 0],
    [{ a: 10, b: 5 }, { a: 12, b: 5 }, 2],
    [{ a: 10, b: 5 }, { a: 9, b: 6 }, 2],
    [{ a: 10 }, { a: 10, c: 3 }, 3],
    [{ a: 10, b: 5 }, { a: 10 }, 5],
  ])('labelChanges(%j → %j) = %i', (before, after, changes) => {
    expect(labelChanges(before, after)).toBe(changes);
  });

  it('needs retrainAfter new labels, or a tenth of what it learned from when that is more', () => {
    expect(retrainThreshold(DEFAULT_MODEL_SETTINGS, { a: 50, b: 50 })).toBe(20);
    expect(retrainThreshold(DEFAULT_MODEL_SETTINGS, { a: 3000, b: 1001 })).toBe(401);
    expect(retrainThreshold({ ...DEFAULT_MODEL_SETTINGS, retrainAfter: 500 }, { a: 3000 })).toBe(500);
  });
});
