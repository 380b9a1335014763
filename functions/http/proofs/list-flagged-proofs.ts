import { listFlaggedProofs, type FlaggedProof } from '../../../domain/proofs/queue';
import { ok, route } from '../../shared/http';
import { namedOrderPage } from '../shared/names';
import { activityLabel } from '../tasks/names';
import { proofDeps } from './deps';
import { listFlaggedProofsRoute } from './routes';

/** The queue with names beside ids (one BatchGet per page) and each activity's label. */
export const listFlaggedProofsHandler = route(listFlaggedProofsRoute, async ({ actor, query }) => {
  const page = await listFlaggedProofs(proofDeps(), actor, query);
  const named = await namedOrderPage(actor.tenantId, page, (item: FlaggedProof) => ({ contractId: item.contractId, contractorId: item.contractorId, segmentId: item.segmentId }));
  return ok({ ...named, items: named.items.map((item) => ({ ...item, activityLabel: activityLabel(item.activity) })) });
});
