import { getProof } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { listProofPhotosRoute } from './routes';

export const listProofPhotosHandler = route(listProofPhotosRoute, async ({ actor, params }) =>
  ok({ items: (await getProof(proofDeps(), actor, params.proofId, { links: true })).evidence }),
);
