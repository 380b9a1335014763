import { acceptRectification } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { acceptRectificationOrderRoute } from './routes';

export const acceptRectificationOrderHandler = route(acceptRectificationOrderRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await acceptRectification(rectificationDeps(), actor, params.orderId, ifMatch!, body)),
);
