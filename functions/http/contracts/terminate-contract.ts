import { terminateContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { terminateContractRoute } from './routes';

export const terminateContractHandler = route(terminateContractRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await terminateContract(contractDeps(), actor, params.contractId, ifMatch!, body ?? {})),
);
