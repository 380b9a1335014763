import { retryRouting } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from './deps';
import { retryRoutingRoute } from './routes';
import { complaintView } from './views';

export const retryRoutingHandler = route(retryRoutingRoute, async ({ actor, params, ifMatch }) =>
  ok(complaintView(await retryRouting(complaintDeps(), actor, params.complaintId, ifMatch))),
);
