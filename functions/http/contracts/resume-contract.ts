import { resumeContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { resumeContractRoute } from './routes';

export const resumeContractHandler = route(resumeContractRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await resumeContract(contractDeps(), actor, params.contractId, ifMatch!, body ?? {})),
);
