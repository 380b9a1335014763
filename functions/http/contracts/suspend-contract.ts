import { suspendContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { suspendContractRoute } from './routes';

export const suspendContractHandler = route(suspendContractRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await suspendContract(contractDeps(), actor, params.contractId, ifMatch!, body ?? {})),
);
