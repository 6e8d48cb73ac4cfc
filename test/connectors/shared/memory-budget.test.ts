import { createMemoryBudgetBackend } from '../../../connectors/shared/budget.js';
import { budgetContract } from './budget-contract.js';

// One backend per test, handed to every "worker": in-process, they share the one Map.
budgetContract('in-process', () => {
  const backend = createMemoryBudgetBackend({ defaultLimit: 5 });
  return { backend: async () => backend };
});
