import type { VerifyResult } from '../../connectors/connector.js';
import { createConnector } from '../../connectors/index.js';
import type { App } from '../app.js';
import type { Source } from '../domain/ticket.js';
import { ConfigError } from '../errors.js';

export interface ConnectZendeskOptions {
  subdomain: string;
  email?: string;
  token?: string;
  oauth?: boolean;
  baseUrl?: string;
  webhookSecret?: string;
  id?: string;
  since?: string;
}

/**
 * Verifies the credentials against the helpdesk, then stores the connection with its
 * credentials encrypted. Re-running it for the same id updates the connection.
 */
export async function connectZendesk(
  app: App,
  options: ConnectZendeskOptions,
): Promise<{ id: string; verified: VerifyResult }> {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(options.subdomain)) {
    throw new ConfigError('--subdomain: expected the account name of https://NAME.zendesk.com, e.g. acme');
  }
  const token = options.token ?? app.env.ZENDESK_API_TOKEN;
  if (!token) throw new ConfigError('--token: required (or set ZENDESK_API_TOKEN)');
  if (!options.oauth && !options.email)
    throw new ConfigError('--email: required with an API token (the agent the token acts as)');
  const credentials: Record<string, string> = options.oauth
    ? { oauthToken: token }
    : { email: options.email!, token };
  if (options.webhookSecret) credentials.webhookSecret = options.webhookSecret;
  const settings: Record<string, unknown> = { subdomain: options.subdomain.toLowerCase() };
  if (options.baseUrl) settings.baseUrl = checkBaseUrl(options.baseUrl);
  if (options.email) settings.email = options.email;
  if (options.since) settings.since = checkSince(options.since);
  const id = options.id ?? `zendesk-${options.subdomain.toLowerCase()}`;
  return save(app, { id, kind: 'zendesk', settings, credentials });
}

export async function save(
  app: App,
  connection: {
    id: string;
    kind: Source;
    settings: Record<string, unknown>;
    credentials: Record<string, string>;
  },
): Promise<{ id: string; verified: VerifyResult }> {
  if (!/^[A-Za-z0-9_-]+$/.test(connection.id))
    throw new ConfigError('--id: expected letters, digits, - and _');
  const connector = createConnector(connection.kind, {
    connectionId: connection.id,
    settings: connection.settings,
    credentials: connection.credentials,
    logger: app.logger.child({ connectionId: connection.id }),
    budget: app.budget,
  });
  const verified = await connector.verify();
  await app.store.saveConnection(
    {
      id: connection.id,
      kind: connection.kind,
      settings: connection.settings,
      secret: app.secrets().seal(connection.credentials),
    },
    app.now(),
  );
  app.logger.info({ connectionId: connection.id, account: verified.account }, 'connection saved');
  return { id: connection.id, verified };
}

/** `--base-url` replaces the vendor's origin only: scheme://host[:port], no path. */
export function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--base-url: expected scheme://host[:port], got "${value}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigError(`--base-url: expected scheme://host[:port] with no path, got "${value}"`);
  }
  return url.origin;
}

function checkSince(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ConfigError(`--since: expected an ISO 8601 date, got "${value}"`);
  return new Date(ms).toISOString();
}
