import { activateContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { activateContractRoute } from './routes';

export const activateContractHandler = route(activateContractRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await activateContract(contractDeps(), actor, params.contractId, ifMatch!, body ?? {})),
);
