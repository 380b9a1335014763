import { checkApiKey } from '../../../domain/api-keys/use-cases';
import { serviceNotice } from '../../../domain/complaints/open311';
import { submitComplaint } from '../../../domain/complaints/use-cases';
import { route, type HttpRequest } from '../../shared/http';
import { logger } from '../../shared/logger';
import { complaintDeps } from '../complaints/deps';
import { apiKeyDeps } from './deps';
import { answer, renderOpen311Error, type Open311Format } from './format';
import { submitRequestRoute, submitRequestXmlRoute } from './routes';

/**
 * GeoReport v2 POST Service Request ("Requires API Key: Yes"): the client app's api_key must be
 * an active key of the jurisdiction (403 otherwise, before anything is recorded); then the
 * complaint is recorded and routed.
 */
const submitIn = (format: Open311Format) => async ({ body, query, requestId }: Pick<HttpRequest<typeof submitRequestRoute>, 'body' | 'query' | 'requestId'>) => {
  const key = await checkApiKey(apiKeyDeps().keys, body.jurisdiction_id, body.api_key ?? query.api_key);
  const result = await submitComplaint(complaintDeps(), body);
  if (result.routingError !== undefined) {
    // Recorded but not routed: it waits in status `routing` for POST /v1/complaints/{id}/routing.
    logger.error('complaint recorded, routing failed', { error: result.routingError as Error, complaintId: result.complaint.complaintId, requestId });
  }
  logger.info('complaint filed', { complaintId: result.complaint.complaintId, apiKeyId: key.keyId, client: key.client, requestId });
  return answer(
    format,
    [
      {
        service_request_id: result.complaint.complaintId,
        service_notice: serviceNotice(result.complaint, result.zone),
        account_id: null,
        reopen_token: result.reopenToken,
      },
    ],
    { root: 'service_requests', item: 'request' },
    201,
  );
};

export const submitRequestHandler = route(submitRequestRoute, submitIn('json'), { renderError: renderOpen311Error });
export const submitRequestXmlHandler = route(submitRequestXmlRoute, submitIn('xml'), { renderError: renderOpen311Error });
