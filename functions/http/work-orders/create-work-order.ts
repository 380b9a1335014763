import { createWorkOrder } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { createWorkOrderRoute } from './routes';

export const createWorkOrderHandler = route(createWorkOrderRoute, async ({ actor, params, body }) =>
  ok(await createWorkOrder(workOrderDeps(), actor, params.contractId, body), 201),
);
