import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { acceptWorkOrderHandler } from './accept-work-order';
import { completeWorkOrderHandler } from './complete-work-order';
import { createWorkOrderHandler } from './create-work-order';
import { getWorkOrderHandler } from './get-work-order';
import { listWorkOrdersHandler } from './list-work-orders';
import { rejectWorkOrderHandler } from './reject-work-order';
import { requestWorkOrderUploadHandler } from './request-work-order-upload';

/** The work-orders Lambda: unit-rate work orders (工单) from creation to acceptance. */
export const handler = httpModule([
  createWorkOrderHandler,
  listWorkOrdersHandler,
  getWorkOrderHandler,
  requestWorkOrderUploadHandler,
  completeWorkOrderHandler,
  acceptWorkOrderHandler,
  rejectWorkOrderHandler,
], { idempotency: runIdempotently });
