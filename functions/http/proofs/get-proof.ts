import { getProof } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { getProofRoute } from './routes';

export const getProofHandler = route(getProofRoute, async ({ actor, params, query }) =>
  ok(await getProof(proofDeps(), actor, params.proofId, { links: query.links === 'true' })),
);
