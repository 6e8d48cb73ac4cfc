import { type Command, Option } from 'commander';
import { PermanentError } from '../../errors.js';
import type { CliIo } from '../context.js';

/** `zerotickets connect intercom` (Contract). */
export function registerConnectIntercom(connect: Command, _io: CliIo): void {
  connect
    .command('intercom')
    .description('connect an Intercom workspace')
    .option('--token <token>', 'access token (or set INTERCOM_ACCESS_TOKEN)')
    .addOption(
      new Option('--region <region>', 'data hosting region').choices(['us', 'eu', 'au']).default('us'),
    )
    .option('--base-url <url>', 'replace https://api.intercom.io with scheme://host[:port]')
    .option('--webhook-secret <secret>', "the Intercom app's client secret")
    .action(() => {
      throw new PermanentError('the Intercom connector is not available in this version yet; Zendesk is');
    });
}
