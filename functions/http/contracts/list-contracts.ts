import { listContracts } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { listContractsRoute } from './routes';

export const listContractsHandler = route(listContractsRoute, async ({ actor, query }) => {
  const { limit, cursor, ...filter } = query;
  return ok(await listContracts(contractDeps(), actor, filter, { limit, ...(cursor === undefined ? {} : { cursor }) }));
});
