import { getWorkOrder } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrder } from '../shared/names';
import { workOrderDeps } from './deps';
import { workOrderRef } from './list-work-orders';
import { getWorkOrderRoute } from './routes';

export const getWorkOrderHandler = route(getWorkOrderRoute, async ({ actor, params }) =>
  ok(await namedOrder(actor.tenantId, await getWorkOrder(workOrderDeps(), actor, params.workOrderId), workOrderRef)),
);
