import { rejectProof } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { rejectProofRoute } from './routes';

export const rejectProofHandler = route(rejectProofRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await rejectProof(proofDeps(), actor, params.proofId, ifMatch!, body)),
);
