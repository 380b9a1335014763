import { createContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { createContractRoute } from './routes';

export const createContractHandler = route(createContractRoute, async ({ actor, body }) =>
  ok(await createContract(contractDeps(), actor, body), 201),
);
