import { amendContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { amendContractRoute } from './routes';

export const amendContractHandler = route(amendContractRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await amendContract(contractDeps(), actor, params.contractId, ifMatch!, body), 201),
);
