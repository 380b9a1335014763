import { listWorkOrders } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { listWorkOrdersRoute } from './routes';

export const listWorkOrdersHandler = route(listWorkOrdersRoute, async ({ actor, params, query }) => {
  const { limit, cursor, ...filter } = query;
  return ok(await listWorkOrders(workOrderDeps(), actor, params.contractId, filter, { limit, ...(cursor === undefined ? {} : { cursor }) }));
});
