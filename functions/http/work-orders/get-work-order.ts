import { getWorkOrder } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { getWorkOrderRoute } from './routes';

export const getWorkOrderHandler = route(getWorkOrderRoute, async ({ actor, params }) => ok(await getWorkOrder(workOrderDeps(), actor, params.workOrderId)));
