import { suspendContractor } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { suspendContractorRoute } from './routes';

export const suspendContractorHandler = route(suspendContractorRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await suspendContractor(contractorDeps(), actor, params.contractorId, ifMatch!, body)),
);
