import type { Customer } from '../../src/domain/customer.js';

export interface Person {
  name: string;
  email: string;
}

/** A customer and what the generator knows about them beyond the import rows. */
export interface CustomerProfile {
  customer: Customer;
  /** People whose e-mails the company listed. */
  people: Person[];
  /** People at the customer's domain nobody listed (they link by domain). */
  colleagues: Person[];
  signup: number | null;
  completed: number | null;
}
