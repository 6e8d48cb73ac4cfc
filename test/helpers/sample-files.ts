import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Customer, Milestone } from '../../src/domain/customer.js';

/**
 * Writes a sample company's customers (`customers.csv`) and milestones (`milestones.jsonl`)
 * into `dir` in the Contract's file formats, for tests that import them through the CLI.
 */
export function writeSampleFiles(
  dir: string,
  company: { customers: readonly Customer[]; milestones: readonly Milestone[] },
): void {
  const customers = company.customers
    .map((c) => [c.id, `"${c.name}"`, c.emails.join(';'), c.domains.join(';')].join(','))
    .join('\n');
  writeFileSync(join(dir, 'customers.csv'), `id,name,emails,domains\n${customers}\n`);
  const milestones = company.milestones.map((m) =>
    JSON.stringify({
      customer_id: m.customerId,
      milestone: m.milestone,
      occurred_at: new Date(m.occurredAt).toISOString(),
    }),
  );
  writeFileSync(join(dir, 'milestones.jsonl'), `${milestones.join('\n')}\n`);
}

/** `connect zendesk` arguments for a simulator started with email `admin@sim.test` / token `sim-token`. */
export function simulatorConnectArgs(baseUrl: string, since: number, extra: string[] = []): string[] {
  return [
    'connect',
    'zendesk',
    ...extra,
    '--subdomain',
    'sim',
    '--email',
    'admin@sim.test',
    '--token',
    'sim-token',
    '--base-url',
    baseUrl,
    '--since',
    new Date(since).toISOString(),
  ];
}
