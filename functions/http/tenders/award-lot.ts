import { awardLot } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { awardLotRoute } from './routes';

export const awardLotHandler = route(awardLotRoute, async ({ actor, params, body, ifMatch }) => {
  const { tender, winner, contract } = await awardLot(tenderDeps(), actor, params.tenderId, params.lotId, ifMatch!, body);
  return ok({ contractId: contract.contractId, tender, winner, contract }, 201);
});
