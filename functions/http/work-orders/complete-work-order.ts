import { completeWorkOrderUseCase } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { completeWorkOrderRoute } from './routes';

export const completeWorkOrderHandler = route(completeWorkOrderRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await completeWorkOrderUseCase(workOrderDeps(), actor, params.workOrderId, ifMatch!, body)),
);
