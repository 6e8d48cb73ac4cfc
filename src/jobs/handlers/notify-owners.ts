import { DAY_MS } from '../../domain/metric.js';
import type { Reason } from '../../domain/reason.js';
import { errorMessage, TransientError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { blocksToText } from '../../outputs/block-text.js';
import { localDay } from '../../outputs/digest.js';
import {
  buildOwnerNotes,
  NOTE_WINDOW_DAYS,
  type OwnerNote,
  renderOwnerNote,
} from '../../outputs/owner-notes.js';
import { isSlackUserId } from '../../outputs/render-digest.js';
import type { BotPoster, SlackPoster } from '../../outputs/slack.js';
import { UncertainDeliveryError } from '../../outputs/slack-retry.js';
import type { Store } from '../../store/store.js';
import { digestPostedKey } from './publish-digest.js';

export interface OwnerNotesSettings {
  enabled: boolean;
  /** `dm`: a direct message to the owner's Slack id; `thread`: a reply under today's digest. */
  mode: 'dm' | 'thread';
}

export interface NotifyOwnersDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  reasons: Reason[];
  timezone: string;
  slack: SlackPoster | null;
  ownerNotes: OwnerNotesSettings;
  out: (text: string) => void;
}

export interface NotifyOwnersResult {
  /** `off`: disabled; `no_bot`: no bot token (a webhook posts only the digest). */
  outcome: 'off' | 'no_bot' | 'printed' | 'sent';
  sent: number;
  skipped: number;
}

/** The state key of a reason's last note (epoch ms): its next note starts there. */
export function lastNoteKey(reasonId: string): string {
  return `slack:owner-note-last:${reasonId}`;
}

/**
 * Once a day, each reason owner gets the new tickets of their reasons since that reason's last
 * note, with the 4-week trend and the customers affected: by DM (their Slack id) or in the
 * thread of today's digest. Each note is claimed per owner and day like the digest, so retries
 * and concurrent workers send it once; a failed note releases its claim and the others go on,
 * then the failures are reported together.
 */
export async function notifyOwners(
  deps: NotifyOwnersDeps,
  input: { dryRun: boolean },
): Promise<NotifyOwnersResult> {
  if (!deps.ownerNotes.enabled) return { outcome: 'off', sent: 0, skipped: 0 };
  const slack = deps.slack;
  if (!input.dryRun && slack?.kind !== 'bot') {
    deps.logger.info('owner notes need SLACK_BOT_TOKEN and slack.channel: only the digest is posted');
    return { outcome: 'no_bot', sent: 0, skipped: 0 };
  }
  const now = deps.now();
  const notes = await loadOwnerNotes(deps, now);
  if (input.dryRun || !slack || slack.kind !== 'bot') {
    // Readable text only: `digest --preview --json` has the notes' Block Kit payloads.
    for (const note of notes) {
      const where = deps.ownerNotes.mode === 'dm' ? 'DM' : 'thread reply';
      deps.out(
        `\n── owner note for ${note.owner} (${where}) ──\n${blocksToText(renderOwnerNote(note, deps.ownerNotes.mode).blocks)}`,
      );
    }
    return { outcome: 'printed', sent: 0, skipped: 0 };
  }
  const day = localDay(now, deps.timezone);
  let sent = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const note of notes) {
    const log = deps.logger.child({ owner: note.owner, day });
    try {
      if (await sendNote(deps, slack, note, day, now)) sent += 1;
      else skipped += 1;
    } catch (error) {
      log.error({ err: error }, 'owner note failed');
      failures.push(`${note.owner}: ${errorMessage(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new TransientError(`owner notes failed for ${failures.length} owner(s): ${failures.join('; ')}`);
  }
  return { outcome: 'sent', sent, skipped };
}

/** The notes due now (what a preview shows and a run sends). */
export async function loadOwnerNotes(
  deps: Pick<NotifyOwnersDeps, 'store' | 'reasons'>,
  now: number,
): Promise<OwnerNote[]> {
  const [tickets, connections] = await Promise.all([
    deps.store.listReasonTickets(now - NOTE_WINDOW_DAYS * DAY_MS, now),
    deps.store.listConnections(),
  ]);
  const lastNoteAt = new Map<string, number>();
  for (const reason of deps.reasons) {
    const stored = await deps.store.getState(lastNoteKey(reason.id));
    if (stored !== null && Number.isFinite(Number(stored))) lastNoteAt.set(reason.id, Number(stored));
  }
  return buildOwnerNotes({ reasons: deps.reasons, tickets, lastNoteAt, connections, now });
}

/** True when sent; false when skipped (sent already today, or nowhere to send it). */
async function sendNote(
  deps: NotifyOwnersDeps,
  slack: BotPoster,
  note: OwnerNote,
  day: string,
  now: number,
): Promise<boolean> {
  const log = deps.logger.child({ owner: note.owner, day });
  const claimKey = `owner-note:${note.owner}`;
  let target: () => Promise<unknown>;
  const message = renderOwnerNote(note, deps.ownerNotes.mode);
  if (deps.ownerNotes.mode === 'dm') {
    if (!isSlackUserId(note.owner)) {
      log.warn(
        'owner is not a Slack user id (U…): no DM sent; use slack.ownerNotesMode thread, or a Slack id',
      );
      return false;
    }
    target = () => slack.direct(note.owner, message);
  } else {
    const posted = await deps.store.getState(digestPostedKey(slack.channel, day));
    const ts = posted === null ? null : (JSON.parse(posted) as { ts?: string | null }).ts;
    if (!ts) {
      log.warn("today's digest has no recorded message to reply under: the note waits for it");
      return false;
    }
    target = () => slack.reply(ts, message);
  }
  if (!(await deps.store.claimDigest(claimKey, day, now))) {
    log.info("today's owner note was already sent");
    return false;
  }
  try {
    await target();
  } catch (error) {
    if (!(error instanceof UncertainDeliveryError)) await deps.store.releaseDigest(claimKey, day);
    throw error;
  }
  for (const reason of note.reasons) await deps.store.setState(lastNoteKey(reason.reasonId), String(now));
  log.info({ reasons: note.reasons.map((r) => r.reasonId) }, 'owner note sent');
  return true;
}
