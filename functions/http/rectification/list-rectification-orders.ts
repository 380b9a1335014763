import type { RectificationOrder } from '../../../domain/rectification/schema';
import { listOrders } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrderPage } from '../shared/names';
import { rectificationDeps } from './deps';
import { listRectificationOrdersRoute } from './routes';

export const listRectificationOrdersHandler = route(listRectificationOrdersRoute, async ({ actor, query }) =>
  ok(await namedOrderPage(actor.tenantId, await listOrders(rectificationDeps(), actor, query), (order: RectificationOrder) => order)),
);
