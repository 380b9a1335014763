import { readPerformance } from '../../../domain/payments/supervision';
import { ok, route } from '../../shared/http';
import { nameReader } from '../shared/names';
import { supervisionDeps } from './deps';
import { getPerformanceRoute } from './routes';

export const getPerformanceHandler = route(getPerformanceRoute, async ({ actor, query }) => {
  const performance = await readPerformance(supervisionDeps(), actor, query);
  // Contract titles come with the contracts the use case read; contractors' names in one batch.
  const names = performance.contracts.length === 0 ? undefined : await nameReader()(actor.tenantId, { contractorIds: new Set(performance.contracts.map((c) => c.contractorId)) });
  return ok({
    ...performance,
    contracts: performance.contracts.map((contract) => {
      const contractorName = names?.contractors.get(contract.contractorId);
      return contractorName === undefined ? contract : { ...contract, contractorName };
    }),
  });
});
