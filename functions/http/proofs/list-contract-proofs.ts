import { listContractProofs } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { listContractProofsRoute } from './routes';

export const listContractProofsHandler = route(listContractProofsRoute, async ({ actor, params, query }) =>
  ok(await listContractProofs(proofDeps(), actor, params.contractId, query)),
);
