import { describe, expect, it } from 'vitest';
import { createRandom } from '../../connectors/simulator/random.js';
import { suggestReasons } from '../../src/domain/suggest-reasons.js';
import { simulatedTickets } from '../reasons/simulator-labels.js';

/** A topic no reason of the example config covers: push notifications on Android. */
function plantedTopic(count: number): Array<{ key: string; subject: string; text: string }> {
  const random = createRandom(42);
  const openers = ['Since the update', 'Since Monday', 'For a week now', 'Suddenly'];
  const devices = ['Android phone', 'Android tablet', 'Pixel (Android 14)', 'Samsung Android'];
  const subjects = [
    'No push notifications',
    'Push notifications missing on Android',
    'Android push not arriving',
  ];
  return Array.from({ length: count }, (_, i) => {
    const subject = random.pick(subjects);
    const body = `${random.pick(openers)} my ${random.pick(devices)} gets no push notifications from the app. Notifications are enabled in the Android settings.`;
    return { key: `intercom/p${i}`, subject, text: `${subject}\n${body}` };
  });
}

describe('suggestReasons', () => {
  const simulated = simulatedTickets(800, 3);
  const background = simulated.filter((t) => t.label !== 'none').map((t) => t.text);
  const unexplained = simulated
    .filter((t) => t.label === 'none')
    .map((t) => ({ key: t.key, subject: t.subject, text: t.text }));
  const planted = plantedTopic(12);

  it('finds a planted new topic among unclassified tickets', () => {
    const suggestions = suggestReasons([...unexplained, ...planted], background, { limit: 10 });
    const plantedKeys = new Set(planted.map((p) => p.key));
    const found = suggestions.find(
      (s) => s.keys.filter((k) => plantedKeys.has(k)).length >= planted.length * 0.8,
    );
    expect(found, JSON.stringify(suggestions.map((s) => [s.id, s.tickets]))).toBeDefined();
    if (!found) return;
    // The group is the topic, not a mix: at most one stray ticket in it.
    expect(found.keys.filter((k) => !plantedKeys.has(k)).length).toBeLessThanOrEqual(1);
    expect(found.terms.some((t) => ['push', 'android', 'notifications'].includes(t))).toBe(true);
    expect(found.exampleSubjects.length).toBeGreaterThan(0);
    expect(planted.map((p) => p.subject)).toEqual(expect.arrayContaining(found.exampleSubjects));
  });

  it('suggests nothing for a group smaller than minTickets', () => {
    expect(suggestReasons(planted.slice(0, 2), background, { minTickets: 3 })).toEqual([]);
  });

  it('is deterministic', () => {
    const docs = [...unexplained, ...planted];
    expect(suggestReasons(docs, background)).toEqual(suggestReasons(docs, background));
  });
});
