import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config.js';

const config = (reasons: string, extra = '') => `
metric:
  completionMilestone: onboarding_completed
reasons:
${reasons}
${extra}`;

const two = `
  - id: billing
    title: Billing
  - id: sign_in
    title: Sign-in
    renamedFrom: login
`;

describe('the reason loop in the config', () => {
  it('takes renamedFrom as one id or a list, and classification defaults', () => {
    const parsed = parseConfigFile(config(two), 'z.yaml');
    expect(parsed.reasons[1]?.renamedFrom).toEqual(['login']);
    expect(parsed.reasons[0]).not.toHaveProperty('renamedFrom');
    expect(parsed.classification).toEqual({
      tagPrefix: 'zt_reason_',
      model: { enabled: true, threshold: 0.7, minLabels: 30, retrainAfter: 20 },
    });
    const list = parseConfigFile(
      config(two.replace('renamedFrom: login', 'renamedFrom: [login, auth]')),
      'z.yaml',
    );
    expect(list.reasons[1]?.renamedFrom).toEqual(['login', 'auth']);
  });

  it('takes a custom tag prefix and model settings', () => {
    const parsed = parseConfigFile(
      config(two, 'classification:\n  tagPrefix: "reason:"\n  model: { threshold: 0.9, enabled: false }\n'),
      'z.yaml',
    );
    expect(parsed.classification).toEqual({
      tagPrefix: 'reason:',
      model: { enabled: false, threshold: 0.9, minLabels: 30, retrainAfter: 20 },
    });
  });

  it.each([
    [
      'a renamedFrom that is a current reason',
      config(two.replace('renamedFrom: login', 'renamedFrom: billing')),
      /reasons: expected each renamedFrom id to be a former id/,
    ],
    [
      'a bad tag prefix',
      config(two, 'classification: { tagPrefix: "Zt Reason" }'),
      /classification.tagPrefix: expected lower-case/,
    ],
    [
      'a threshold above 1',
      config(two, 'classification: { model: { threshold: 2 } }'),
      /classification.model.threshold/,
    ],
    [
      'an unknown model key',
      config(two, 'classification: { model: { treshold: 0.5 } }'),
      /unknown key "classification.model.treshold"/,
    ],
  ])('names the key for %s', (_name, text, message) => {
    expect(() => parseConfigFile(text, 'z.yaml')).toThrow(message);
  });
});
