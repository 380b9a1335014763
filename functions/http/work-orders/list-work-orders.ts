import type { WorkOrder } from '../../../domain/work-orders/schema';
import { listWorkOrders } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrderPage, type OrderRef } from '../shared/names';
import { workOrderDeps } from './deps';
import { listWorkOrdersRoute } from './routes';

/** What a work order names: its contract, contractor and the segment of its location. */
export const workOrderRef = (order: WorkOrder): OrderRef => ({ contractId: order.contractId, contractorId: order.contractorId, segmentId: order.location.segmentId });

export const listWorkOrdersHandler = route(listWorkOrdersRoute, async ({ actor, params, query }) => {
  const { limit, cursor, ...filter } = query;
  const page = await listWorkOrders(workOrderDeps(), actor, params.contractId, filter, { limit, ...(cursor === undefined ? {} : { cursor }) });
  return ok(await namedOrderPage(actor.tenantId, page, workOrderRef));
});
