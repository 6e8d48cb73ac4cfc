import type { Digest, Headline } from './digest.js';

export const DIGEST_TITLE = 'Companies with zero support tickets';

/**
 * The digest as Slack mrkdwn lines. The same order and precision every day (one decimal), so
 * readers compare days at a glance.
 */
export function renderDigestText(digest: Digest): string {
  const lines = [
    `*${DIGEST_TITLE}* — ${digest.day}`,
    headlineLine('Last closed week', digest.week),
    headlineLine('Last closed month', digest.month),
    `Trailing 28 days: ${pct(digest.trailing.zeroTicketPct)} (n=${digest.trailing.closedWindows})`,
    `Pending: ${digest.pending.in_progress} in progress · ${digest.pending.in_buffer} in buffer · ${digest.pending.stalled} stalled · ${digest.pending.not_started} not started`,
    '',
    ...reasonLines(digest),
    '',
    `Data quality: ${digest.unlinkedTickets} unlinked tickets · ${digest.unclassifiedTickets} unclassified tickets`,
  ];
  return lines.join('\n');
}

/** Block Kit for Slack; `text` stays the notification fallback. */
export function renderDigestBlocks(digest: Digest): unknown[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: DIGEST_TITLE } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          headlineLine('Last closed week', digest.week),
          headlineLine('Last closed month', digest.month),
          `Trailing 28 days: ${pct(digest.trailing.zeroTicketPct)} (n=${digest.trailing.closedWindows})`,
        ].join('\n'),
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Pending: ${digest.pending.in_progress} in progress · ${digest.pending.in_buffer} in buffer · ${digest.pending.stalled} stalled · ${digest.pending.not_started} not started`,
        },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: reasonLines(digest).join('\n') } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${digest.day} · ${digest.unlinkedTickets} unlinked tickets · ${digest.unclassifiedTickets} unclassified tickets`,
        },
      ],
    },
  ];
}

function headlineLine(label: string, h: Headline): string {
  if (!h.period) return `${label}: no window closed yet`;
  const change =
    h.changePts === null
      ? ''
      : `, ${h.changePts > 0 ? '▲' : h.changePts < 0 ? '▼' : '='} ${Math.abs(h.changePts).toFixed(1)} pts`;
  return `${label} (from ${h.period.periodStart}): *${pct(h.period.zeroTicketPct)}* (n=${h.period.closedWindows})${change}`;
}

function reasonLines(digest: Digest): string[] {
  if (digest.reasons.length === 0) return ['No counting tickets in the last 28 days.'];
  const max = Math.max(...digest.reasons.map((r) => r.tickets));
  return [
    '*Users having a bad day* — top reasons, last 28 days:',
    ...digest.reasons.map((r, i) => {
      const bar = '█'.repeat(Math.max(1, Math.round((r.tickets / max) * 12)));
      const owner = r.owner ? ` <@${r.owner}>` : ' (no owner)';
      return `${i + 1}. ${escapeMrkdwn(r.title)} — ${r.tickets} \`${bar}\`${owner}`;
    }),
  ];
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}%`;
}

/** Slack mrkdwn needs only &, < and > escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
