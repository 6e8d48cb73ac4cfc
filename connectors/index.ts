import type { Source } from '../src/domain/ticket.js';
import { ConfigError } from '../src/errors.js';
import type { Connector, ConnectorContext } from './connector.js';
import { createIntercomConnector } from './intercom/index.js';
import { createZendeskConnector } from './zendesk/index.js';

/** The one registry: a connection's `kind` → its connector. */
export function createConnector(kind: Source, ctx: ConnectorContext): Connector {
  switch (kind) {
    case 'zendesk':
      return createZendeskConnector(ctx);
    case 'intercom':
      return createIntercomConnector(ctx);
    default:
      throw new ConfigError(`connection kind "${kind}": expected zendesk or intercom`);
  }
}
