import { getOrder } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrder } from '../shared/names';
import { rectificationDeps } from './deps';
import { getRectificationOrderRoute } from './routes';

export const getRectificationOrderHandler = route(getRectificationOrderRoute, async ({ actor, params }) =>
  ok(await namedOrder(actor.tenantId, await getOrder(rectificationDeps(), actor, params.orderId), (order) => order)),
);
