import type { Command } from 'commander';
import { connectZendesk } from '../connect.js';
import { type CliIo, withApp } from '../context.js';

/** `zerotickets connect zendesk` (Contract). */
export function registerConnectZendesk(connect: Command, io: CliIo): void {
  connect
    .command('zendesk')
    .description(
      'connect a Zendesk account (the token user must be an admin: the incremental export is admin-only)',
    )
    .requiredOption('--subdomain <name>', 'the NAME of https://NAME.zendesk.com')
    .option('--email <email>', 'the agent the API token acts as')
    .option('--token <token>', 'API token (or set ZENDESK_API_TOKEN)')
    .option('--oauth', 'the token is an OAuth access token (sent as Bearer)')
    .option(
      '--base-url <url>',
      'replace https://NAME.zendesk.com with scheme://host[:port] (proxy, simulator)',
    )
    .option('--webhook-secret <secret>', "the Zendesk webhook's signing secret")
    .option('--id <id>', 'connection id (default: zendesk-NAME)')
    .option(
      '--since <date>',
      'where the first sync starts (ISO 8601; default: the earliest milestone imported, else 365 days ago)',
    )
    .action(async (opts) => {
      await withApp(io, async (app) => {
        const { id, verified } = await connectZendesk(app, opts);
        const limit = verified.rateLimit ? `; rate limit ${verified.rateLimit}` : '';
        io.stdout(`connected ${id}: ${verified.account} as ${verified.actingAs}${limit}\n`);
      });
    });
}
