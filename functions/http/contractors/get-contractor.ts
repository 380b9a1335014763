import { getContractor } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { getContractorRoute } from './routes';

export const getContractorHandler = route(getContractorRoute, async ({ actor, params }) =>
  ok(await getContractor(contractorDeps(), actor, params.contractorId)),
);
