import { acceptWorkOrderUseCase } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { acceptWorkOrderRoute } from './routes';

export const acceptWorkOrderHandler = route(acceptWorkOrderRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await acceptWorkOrderUseCase(workOrderDeps(), actor, params.workOrderId, ifMatch!, body)),
);
