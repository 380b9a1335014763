import { updateContractor } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { updateContractorRoute } from './routes';

export const updateContractorHandler = route(updateContractorRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await updateContractor(contractorDeps(), actor, params.contractorId, ifMatch!, body)),
);
