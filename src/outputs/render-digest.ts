import { blocksToText } from './block-text.js';
import type { Digest, Headline } from './digest.js';
import type { SlackMessage } from './slack.js';

export const DIGEST_TITLE = 'Companies with zero support tickets';

const BAR_WIDTH = 12;

/**
 * The daily post as Slack Block Kit. The same blocks in the same order every day, every number
 * with the same precision (percentages and points with one decimal), so readers compare days
 * at a glance: header, headline (last closed week, trailing 4 weeks), pending, the top reasons
 * as bars with their owners, data quality, the dashboard link when configured, the day.
 */
export function renderDigestBlocks(digest: Digest): unknown[] {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: DIGEST_TITLE } },
    mrkdwnSection(
      [
        headlineLine('Last closed week', digest.week),
        `Trailing 4 weeks: *${pct(digest.trailing.zeroTicketPct)}* (n=${digest.trailing.closedWindows})${change(digest.trailing.changePts)}`,
      ].join('\n'),
    ),
    context(
      `Pending: ${digest.pending.in_progress} in progress · ${digest.pending.in_buffer} in buffer · ${digest.pending.stalled} stalled · ${digest.pending.not_started} not started`,
    ),
    { type: 'divider' },
    mrkdwnSection(reasonLines(digest).join('\n')),
    context(
      `Data quality: ${digest.unlinkedTickets} unlinked tickets · ${digest.unclassifiedTickets} unclassified tickets`,
    ),
  ];
  if (digest.dashboardUrl) {
    blocks.push(mrkdwnSection(`<${digest.dashboardUrl}|Open the dashboard>`));
  }
  blocks.push(context(`${digest.day} · zerotickets`));
  return blocks;
}

/** The whole message: blocks plus a one-line notification fallback. */
export function renderDigestMessage(digest: Digest): SlackMessage {
  const week = digest.week.period
    ? `${pct(digest.week.period.zeroTicketPct)} last closed week${change(digest.week.changePts, ' (', ')')}`
    : 'no week closed yet';
  const text = `${DIGEST_TITLE}: ${week} · ${pct(digest.trailing.zeroTicketPct)} trailing 4 weeks`;
  return { text, blocks: renderDigestBlocks(digest) };
}

/** The post as readable text: exactly the blocks, rendered line by line. */
export function renderDigestText(digest: Digest): string {
  return blocksToText(renderDigestBlocks(digest));
}

function headlineLine(label: string, h: Headline): string {
  if (!h.period) return `${label}: no window closed yet`;
  return `${label} (from ${h.period.periodStart}): *${pct(h.period.zeroTicketPct)}* (n=${h.period.closedWindows})${change(h.changePts)}`;
}

/** `, ▲ 4.2 pts` / `, ▼ 3.3 pts` / `, = 0.0 pts`; nothing when there is no earlier value. */
function change(points: number | null, before = ', ', after = ''): string {
  if (points === null) return '';
  const mark = points > 0 ? '▲' : points < 0 ? '▼' : '=';
  return `${before}${mark} ${Math.abs(points).toFixed(1)} pts${after}`;
}

function reasonLines(digest: Digest): string[] {
  if (digest.reasons.length === 0)
    return ['*Users having a bad day*: no counting tickets in the last 28 days.'];
  const max = Math.max(...digest.reasons.map((r) => r.tickets));
  const width = String(max).length;
  return [
    '*Users having a bad day* — top reasons, last 28 days:',
    ...digest.reasons.map((r) => {
      const filled = Math.max(1, Math.round((r.tickets / max) * BAR_WIDTH));
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      return `\`${bar} ${String(r.tickets).padStart(width)}\` ${escapeMrkdwn(r.title)} · ${mentionOwner(r.owner)}`;
    }),
  ];
}

/**
 * Every owner is written `<@owner>`, as the Contract says, whatever the config holds: with a
 * Slack user id (`U…`/`W…`) Slack turns it into a mention that notifies the person, and scripts
 * reading the post find owners in one form. Only Slack ids can receive DMs (see
 * {@link isSlackUserId}).
 */
export function mentionOwner(owner: string | null): string {
  if (owner === null) return 'no owner';
  return `<@${escapeMrkdwn(owner)}>`;
}

export function isSlackUserId(owner: string): boolean {
  return /^[UW][A-Z0-9_]{2,}$/.test(owner);
}

function mrkdwnSection(text: string): unknown {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): unknown {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

export function pct(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}%`;
}

/** Slack mrkdwn needs only &, < and > escaped (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
