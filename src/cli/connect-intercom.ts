import type { VerifyResult } from '../../connectors/connector.js';
import { REGION_ORIGINS } from '../../connectors/intercom/api.js';
import { discoverIntercomWorkspace } from '../../connectors/intercom/index.js';
import type { App } from '../app.js';
import { ConfigError, PermanentError, TransientError } from '../errors.js';
import { checkBaseUrl, save } from './connect.js';

export interface ConnectIntercomOptions {
  token?: string;
  region?: string;
  baseUrl?: string;
  webhookSecret?: string;
  id?: string;
  since?: string;
}

/**
 * `connect intercom`: asks Intercom which admin and workspace the token belongs to (which also
 * tells whether the region is right: a token is refused by another region's API), notes the
 * workspace's app id and whether it uses Tickets, then verifies and stores the connection with
 * the token encrypted, exactly as `connect zendesk` does.
 */
export async function connectIntercom(
  app: App,
  options: ConnectIntercomOptions,
): Promise<{ id: string; verified: VerifyResult; usesTickets: boolean }> {
  const token = options.token ?? app.env.INTERCOM_ACCESS_TOKEN;
  if (!token) throw new ConfigError('--token: required (or set INTERCOM_ACCESS_TOKEN)');
  const region = (options.region ?? 'us').toLowerCase();
  if (!(region in REGION_ORIGINS))
    throw new ConfigError(`--region: expected us, eu or au, got "${options.region}"`);
  const settings: Record<string, unknown> = { region };
  if (options.baseUrl) settings.baseUrl = checkBaseUrl(options.baseUrl);
  if (options.since) {
    const ms = Date.parse(options.since);
    if (Number.isNaN(ms)) throw new ConfigError(`--since: expected an ISO 8601 date, got "${options.since}"`);
    settings.since = new Date(ms).toISOString();
  }
  const credentials: Record<string, string> = { token };
  if (options.webhookSecret) credentials.webhookSecret = options.webhookSecret;
  const where = String(settings.baseUrl ?? REGION_ORIGINS[region as keyof typeof REGION_ORIGINS]);

  let workspace: Awaited<ReturnType<typeof discoverIntercomWorkspace>>;
  try {
    workspace = await discoverIntercomWorkspace({
      connectionId: options.id ?? 'intercom',
      settings,
      credentials,
      logger: app.logger,
      now: app.now,
    });
  } catch (error) {
    // A network failure, or a host that does not resolve (the shared policy says "account name").
    if (
      error instanceof TransientError ||
      (error instanceof PermanentError && /host not found/.test(error.message))
    ) {
      throw new PermanentError(
        `could not reach Intercom at ${where} (${error.message}); check the network, --region (us|eu|au) or --base-url`,
        { cause: error },
      );
    }
    throw error;
  }
  if (workspace.region && !options.baseUrl && !sameRegion(workspace.region, region)) {
    app.logger.warn({ region, workspaceRegion: workspace.region }, 'the workspace reports another region');
  }
  if (workspace.appId) settings.appId = workspace.appId;
  settings.tickets = workspace.usesTickets;
  const id = options.id ?? `intercom-${workspace.appId ?? region}`;
  const saved = await save(app, { id, kind: 'intercom', settings, credentials });
  return { ...saved, usesTickets: workspace.usesTickets };
}

/** Intercom names regions `US`, `Europe`, `Australia` in `/me`; we name them us, eu, au. */
function sameRegion(reported: string, region: string): boolean {
  const r = reported.toLowerCase();
  return (
    r.startsWith(region) ||
    (region === 'eu' && r.startsWith('europe')) ||
    (region === 'au' && r.startsWith('austral'))
  );
}
