import { contractVersions } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { listContractVersionsRoute } from './routes';

export const listContractVersionsHandler = route(listContractVersionsRoute, async ({ actor, params }) =>
  ok({ contractId: params.contractId, items: await contractVersions(contractDeps(), actor, params.contractId) }),
);
