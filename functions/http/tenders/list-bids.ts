import { listBids } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { listBidsRoute } from './routes';
import { bidView } from './views';

export const listBidsHandler = route(listBidsRoute, async ({ actor, params, query }) => {
  const bids = await listBids(tenderDeps(), actor, params.tenderId, query.lotId);
  return ok({ items: bids.map(bidView) });
});
