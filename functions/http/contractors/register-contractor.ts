import { registerContractor } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { registerContractorRoute } from './routes';

export const registerContractorHandler = route(registerContractorRoute, async ({ actor, body }) =>
  ok(await registerContractor(contractorDeps(), actor, body), 201),
);
