import { getOrder } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { getRectificationOrderRoute } from './routes';

export const getRectificationOrderHandler = route(getRectificationOrderRoute, async ({ actor, params }) => ok(await getOrder(rectificationDeps(), actor, params.orderId)));
