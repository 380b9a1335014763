import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { assignComplaintHandler } from './assign-complaint';
import { getComplaintHandler } from './get-complaint';
import { listComplaintsHandler } from './list-complaints';
import { retryRoutingHandler } from './retry-routing';
import { verifyComplaintHandler } from './verify-complaint';

/** The complaints Lambda: the internal /v1/complaints routes (queue, assignment, verification). */
export const handler = httpModule(
  [listComplaintsHandler, getComplaintHandler, verifyComplaintHandler, assignComplaintHandler, retryRoutingHandler],
  { idempotency: runIdempotently },
);
