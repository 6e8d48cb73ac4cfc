import type { Reason } from '../../domain/reason.js';
import type { Logger } from '../../logger.js';
import { buildDigest } from '../../outputs/digest.js';
import { formatPreview } from '../../outputs/preview.js';
import { renderDigestMessage } from '../../outputs/render-digest.js';
import type { SlackPoster } from '../../outputs/slack.js';
import { UncertainDeliveryError } from '../../outputs/slack-retry.js';
import type { Store } from '../../store/store.js';

export interface DigestDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  reasons: Reason[];
  timezone: string;
  slack: SlackPoster | null;
  /** The public dashboard linked from the post, when configured. */
  dashboardUrl?: string | null;
  /** Where printed digests go (stdout in the CLI). */
  out: (text: string) => void;
}

/**
 * - `printed`: dry run, or no Slack target;
 * - `posted`: this call posted today's digest;
 * - `already_posted`: an earlier run posted it (recorded);
 * - `claimed_elsewhere`: another run claimed today and has not recorded a post: it is posting
 *   now, or it crashed or got no answer from Slack mid-post. Not posted again (see README).
 */
export type DigestOutcome = 'printed' | 'posted' | 'already_posted' | 'claimed_elsewhere';

/** The state key recording a digest that Slack accepted: `{ ts, postedAt }`. */
export function digestPostedKey(channel: string, day: string): string {
  return `slack:digest-posted:${channel}:${day}`;
}

/**
 * Builds today's digest and posts it at most once per channel per day; prints it instead on a
 * dry run or when no Slack target is configured.
 *
 * Exactly once, in three steps: (1) claim `(channel, day)`, a unique key in the store, so of
 * two workers or a retried job only one goes on; (2) post; (3) record the post. A post Slack
 * refused (4xx, 5xx and 429 after retries, connection refused) releases the claim, so a retry
 * may post. A post whose fate is unknown (a timeout after sending) or a crash between (2) and
 * (3) keeps the claim: a missed day is better than a double post, and `zerotickets digest
 * --post --force` posts again once someone has looked at the channel.
 */
export async function publishDigest(
  deps: DigestDeps,
  input: { dryRun: boolean; force?: boolean },
): Promise<{ outcome: DigestOutcome; day: string; ts?: string | null }> {
  const now = deps.now();
  const digest = await buildDigest(deps, now);
  const message = renderDigestMessage(digest);
  if (input.dryRun || !deps.slack) {
    deps.out(formatPreview('daily post', message));
    return { outcome: 'printed', day: digest.day };
  }
  const { channel } = deps.slack;
  const log = deps.logger.child({ channel, day: digest.day });
  if (input.force) await deps.store.releaseDigest(channel, digest.day);
  if (!(await deps.store.claimDigest(channel, digest.day, now))) {
    if (await deps.store.getState(digestPostedKey(channel, digest.day))) {
      log.info("today's digest was already posted");
      return { outcome: 'already_posted', day: digest.day };
    }
    log.warn(
      "today's digest is claimed by another run but no post is recorded (in progress, or that run crashed or got no answer from Slack); not posting again: check the channel, then `zerotickets digest --post --force`",
    );
    return { outcome: 'claimed_elsewhere', day: digest.day };
  }
  let ts: string | null;
  try {
    ({ ts } = await deps.slack.post(message));
  } catch (error) {
    if (error instanceof UncertainDeliveryError) {
      log.error({ err: error }, 'digest post outcome unknown: the claim stays, so it is not posted twice');
    } else {
      // Slack did not post it: forget the claim so a retry may.
      await deps.store.releaseDigest(channel, digest.day);
      log.error({ err: error }, 'digest post failed after retries; claim released');
    }
    throw error;
  }
  await deps.store.setState(digestPostedKey(channel, digest.day), JSON.stringify({ ts, postedAt: now }));
  log.info({ ts }, 'digest posted');
  return { outcome: 'posted', day: digest.day, ts };
}
