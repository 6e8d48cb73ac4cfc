import { type Command, Option } from 'commander';
import { connectIntercom } from '../connect-intercom.js';
import { type CliIo, withApp } from '../context.js';

/** `zerotickets connect intercom` (Contract). */
export function registerConnectIntercom(connect: Command, io: CliIo): void {
  connect
    .command('intercom')
    .description(
      'connect an Intercom workspace (an access token that can read conversations, users and companies)',
    )
    .option('--token <token>', 'access token (or set INTERCOM_ACCESS_TOKEN)')
    .addOption(
      new Option('--region <region>', 'data hosting region').choices(['us', 'eu', 'au']).default('us'),
    )
    .option(
      '--base-url <url>',
      'replace https://api.intercom.io with scheme://host[:port] (proxy, simulator)',
    )
    .option('--webhook-secret <secret>', "the Intercom app's client secret (signs webhooks)")
    .option('--id <id>', 'connection id (default: intercom-APPID)')
    .option('--since <date>', 'where the first sync starts (ISO 8601; default: 365 days ago)')
    .action(async (opts) => {
      await withApp(io, async (app) => {
        const { id, verified, usesTickets } = await connectIntercom(app, opts);
        const limit = verified.rateLimit ? `; rate limit ${verified.rateLimit}` : '';
        const tickets = usesTickets ? '; Tickets API: on' : '';
        io.stdout(`connected ${id}: ${verified.account} as ${verified.actingAs}${limit}${tickets}\n`);
      });
    });
}
