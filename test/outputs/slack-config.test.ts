import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config.js';

const base = 'metric: { completionMilestone: done }\nreasons: [{ id: billing, title: Billing }]\n';

describe('slack settings of the config file', () => {
  it('reads owner notes and the dashboard link', () => {
    const config = parseConfigFile(
      `${base}slack: { ownerNotes: false, ownerNotesMode: thread, dashboardUrl: "https://zt.acme.com/" }\n`,
      'zt.yaml',
    );
    expect(config.slack).toEqual({
      channel: null,
      postAt: '09:00',
      ownerNotes: false,
      ownerNotesMode: 'thread',
      dashboardUrl: 'https://zt.acme.com/',
    });
  });

  it.each([
    ['ownerNotesMode: email', 'slack.ownerNotesMode'],
    ['dashboardUrl: "ftp://zt.acme.com"', 'slack.dashboardUrl: expected an http(s) URL'],
    ['ownerNotes: sometimes', 'slack.ownerNotes'],
  ])('rejects %s naming the key', (line, message) => {
    expect(() => parseConfigFile(`${base}slack: { ${line} }\n`, 'zt.yaml')).toThrow(message);
  });
});
