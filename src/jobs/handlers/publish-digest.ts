import type { Reason } from '../../domain/reason.js';
import type { Logger } from '../../logger.js';
import { buildDigest } from '../../outputs/digest.js';
import { renderDigestBlocks, renderDigestText } from '../../outputs/render-digest.js';
import type { SlackPoster } from '../../outputs/slack.js';
import type { Store } from '../../store/store.js';

export interface DigestDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  reasons: Reason[];
  timezone: string;
  slack: SlackPoster | null;
  /** Where printed digests go (stdout in the CLI). */
  out: (text: string) => void;
}

export type DigestOutcome = 'printed' | 'posted' | 'already_posted';

/**
 * Builds today's digest and posts it once per channel per day; prints it instead on a dry run
 * or when no Slack target is configured.
 */
export async function publishDigest(
  deps: DigestDeps,
  input: { dryRun: boolean },
): Promise<{ outcome: DigestOutcome; day: string }> {
  const now = deps.now();
  const digest = await buildDigest(deps, now);
  const text = renderDigestText(digest);
  if (input.dryRun || !deps.slack) {
    deps.out(text);
    return { outcome: 'printed', day: digest.day };
  }
  const channel = deps.slack.channel;
  if (!(await deps.store.claimDigest(channel, digest.day, now))) {
    deps.logger.info({ day: digest.day }, "today's digest was already posted");
    return { outcome: 'already_posted', day: digest.day };
  }
  try {
    await deps.slack.post({ text, blocks: renderDigestBlocks(digest) });
  } catch (error) {
    // The post did not happen: forget the claim so a retry may post.
    await deps.store.releaseDigest(channel, digest.day);
    throw error;
  }
  deps.logger.info({ day: digest.day }, 'digest posted');
  return { outcome: 'posted', day: digest.day };
}
