import { reopenRectification } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { reopenRectificationOrderRoute } from './routes';

export const reopenRectificationOrderHandler = route(reopenRectificationOrderRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await reopenRectification(rectificationDeps(), actor, params.orderId, ifMatch!, body)),
);
