import { rejectWorkOrderUseCase } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { rejectWorkOrderRoute } from './routes';

export const rejectWorkOrderHandler = route(rejectWorkOrderRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await rejectWorkOrderUseCase(workOrderDeps(), actor, params.workOrderId, ifMatch!, body)),
);
