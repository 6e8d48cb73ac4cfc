import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { loadOwnerNotes, notifyOwners } from '../../jobs/handlers/notify-owners.js';
import { publishDigest } from '../../jobs/handlers/publish-digest.js';
import type { PipelineDeps } from '../../jobs/inline-runner.js';
import { blocksToText } from '../../outputs/block-text.js';
import { buildDigest } from '../../outputs/digest.js';
import { renderOwnerNote } from '../../outputs/owner-notes.js';
import { renderDigestMessage } from '../../outputs/render-digest.js';
import { type CliIo, printJson, withApp } from '../context.js';

interface DigestOptions {
  preview?: boolean;
  post?: boolean;
  force?: boolean;
  json?: boolean;
}

/**
 * `zerotickets digest --preview [--json]`: today's Slack post (and the owner notes due) as a
 * readable text and the exact Block Kit payload, from the data already in the store; nothing
 * is synced or posted. `zerotickets digest --post [--force]`: post today's digest now (once
 * per channel per day), then the owner notes.
 */
export function registerDigest(program: Command, io: CliIo): void {
  program
    .command('digest')
    .description("preview or post today's Slack digest and owner notes (from the data already synced)")
    .option('--preview', 'print the text rendering and the Block Kit JSON; post nothing')
    .option('--post', "post today's digest unless it was already posted today, then the owner notes")
    .option('--force', "with --post: post even though today's digest is claimed (check the channel first)")
    .option('--json', 'with --preview: print one JSON document instead')
    .action(async (opts: DigestOptions) => {
      if (opts.preview === opts.post)
        throw new ConfigError('digest: give exactly one of --preview or --post');
      if (opts.force && !opts.post) throw new ConfigError('digest: --force goes with --post');
      if (opts.json && !opts.preview) throw new ConfigError('digest: --json goes with --preview');
      await withApp(io, async (app) => {
        const deps = await app.pipeline();
        if (opts.preview && opts.json) printJson(io, await previewDocument(deps));
        else if (opts.preview) {
          await publishDigest(deps, { dryRun: true });
          await notifyOwners(deps, { dryRun: true });
        } else {
          const digest = await publishDigest(deps, { dryRun: false, ...(opts.force ? { force: true } : {}) });
          const notes = await notifyOwners(deps, { dryRun: false });
          io.stderr(
            `› digest: ${digest.outcome} (${digest.day}); owner notes: ${notes.outcome}, ${notes.sent} sent\n`,
          );
        }
      });
    });
}

async function previewDocument(deps: PipelineDeps): Promise<unknown> {
  const now = deps.now();
  const digest = await buildDigest(deps, now);
  const message = renderDigestMessage(digest);
  const notes = deps.ownerNotes.enabled ? await loadOwnerNotes(deps, now) : [];
  return {
    day: digest.day,
    digest: { ...message, rendered: blocksToText(message.blocks) },
    ownerNotes: notes.map((note) => {
      const rendered = renderOwnerNote(note, deps.ownerNotes.mode);
      return {
        owner: note.owner,
        mode: deps.ownerNotes.mode,
        ...rendered,
        rendered: blocksToText(rendered.blocks),
      };
    }),
  };
}
