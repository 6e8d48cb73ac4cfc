import type { Connector, ConnectorPage } from '../connectors/connector.js';
import { mapItems } from '../connectors/zendesk/page.js';
import { exportPage, type SyntheticCompany } from './synthetic-company.js';

/** Zendesk's export page size (incremental_exports/#per_page). */
const PAGE = 1000;

export interface SyntheticConnector extends Connector {
  /** How many tickets the "helpdesk" holds now; raise it to add new tickets. */
  available: number;
  /** Time spent generating raw JSON (the helpdesk's side), excluded from throughput. */
  generationMs: number;
}

/**
 * The helpdesk side of the benchmark without HTTP: pages of raw Zendesk export JSON generated
 * on demand, normalized by the real Zendesk mapper (`mapItems`: zod per item, then the
 * Ticket mapping). The cursor is the next ticket id, as a resumable connector's would be.
 */
export function createSyntheticConnector(
  company: SyntheticCompany,
  connectionId: string,
): SyntheticConnector {
  const connector: SyntheticConnector = {
    kind: 'zendesk',
    connectionId,
    available: company.size.tickets,
    generationMs: 0,
    async verify() {
      return { account: 'synthetic', actingAs: 'bench (admin)', rateLimit: null };
    },
    async *pullChanges(cursor: string | null): AsyncIterable<ConnectorPage> {
      let next = cursor === null ? 1 : (JSON.parse(cursor) as { next: number }).next;
      while (next <= connector.available) {
        const to = Math.min(connector.available, next + PAGE - 1);
        const started = performance.now();
        const raw = exportPage(company, next, to);
        connector.generationMs += performance.now() - started;
        const mapped = mapItems(raw, connectionId);
        next = to + 1;
        yield {
          stream: 'tickets',
          cursor: JSON.stringify({ next }),
          tickets: mapped.tickets,
          users: mapped.users,
          organizations: mapped.organizations,
          quarantined: mapped.quarantined,
        };
      }
    },
  };
  return connector;
}
