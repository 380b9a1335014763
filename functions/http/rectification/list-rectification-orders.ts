import { listOrders } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { listRectificationOrdersRoute } from './routes';

export const listRectificationOrdersHandler = route(listRectificationOrdersRoute, async ({ actor, query }) => ok(await listOrders(rectificationDeps(), actor, query)));
