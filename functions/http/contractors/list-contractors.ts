import { listContractors } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { listContractorsRoute } from './routes';

export const listContractorsHandler = route(listContractorsRoute, async ({ actor, query }) => {
  const { limit, cursor, q, ...filter } = query;
  return ok(
    await listContractors(contractorDeps(), actor, { ...filter, ...(q === undefined ? {} : { search: q }) }, { limit, ...(cursor === undefined ? {} : { cursor }) }),
  );
});
