import { reinstateContractor } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { reinstateContractorRoute } from './routes';

export const reinstateContractorHandler = route(reinstateContractorRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await reinstateContractor(contractorDeps(), actor, params.contractorId, ifMatch!, body)),
);
