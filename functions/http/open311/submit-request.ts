import { serviceNotice } from '../../../domain/complaints/open311';
import { submitComplaint } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { logger } from '../../shared/logger';
import { complaintDeps } from '../complaints/deps';
import { submitRequestRoute } from './routes';

export const submitRequestHandler = route(submitRequestRoute, async ({ body, requestId }) => {
  const result = await submitComplaint(complaintDeps(), body);
  if (result.routingError !== undefined) {
    // Recorded but not routed: it waits in status `routing` for POST /v1/complaints/{id}/routing.
    logger.error('complaint recorded, routing failed', { error: result.routingError as Error, complaintId: result.complaint.complaintId, requestId });
  }
  return ok(
    [
      {
        service_request_id: result.complaint.complaintId,
        service_notice: serviceNotice(result.complaint, result.zone),
        account_id: null,
        reopen_token: result.reopenToken,
      },
    ],
    201,
  );
});
