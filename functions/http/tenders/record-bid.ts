import { recordBid } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { recordBidRoute } from './routes';
import { bidView } from './views';

export const recordBidHandler = route(recordBidRoute, async ({ actor, params, body }) =>
  ok(bidView(await recordBid(tenderDeps(), actor, params.tenderId, body)), 201),
);
