/** A customer of the company, as imported (CSV/JSONL) or ingested over HTTP. */
export interface Customer {
  /** The customer's id in the company's own system. */
  id: string;
  name: string;
  /** Lower-cased e-mail addresses of the customer's people. */
  emails: string[];
  /** Lower-cased e-mail domains that belong to the customer. */
  domains: string[];
}

/** One occurrence of an onboarding milestone. Times are epoch milliseconds, UTC. */
export interface Milestone {
  customerId: string;
  milestone: string;
  occurredAt: number;
}
