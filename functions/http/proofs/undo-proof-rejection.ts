import { undoProofRejection } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { undoProofRejectionRoute } from './routes';

export const undoProofRejectionHandler = route(undoProofRejectionRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await undoProofRejection(proofDeps(), actor, params.proofId, ifMatch!, body)),
);
