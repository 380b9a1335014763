import { httpModule } from '../../shared/http';
import { issueApiKeyHandler, listApiKeysHandler, revokeApiKeyHandler } from './api-keys';
import { discoveryHandler, discoveryXmlHandler } from './discovery';
import { open311FallbackHandler } from './fallback';
import { getRequestHandler } from './get-request';
import { getServiceDefinitionHandler } from './get-service-definition';
import { listRequestsHandler, listRequestsXmlHandler } from './list-requests';
import { listServicesHandler, listServicesXmlHandler } from './list-services';
import { reopenRequestHandler } from './reopen-request';
import { submitRequestHandler, submitRequestXmlHandler } from './submit-request';

/**
 * The Open311 Lambda: Service Discovery and the public GeoReport v2 routes under /open311
 * (XML and JSON, every error as the GeoReport array), and the administrator's api_key desk.
 */
export const handler = httpModule([
  discoveryHandler,
  discoveryXmlHandler,
  listServicesHandler,
  listServicesXmlHandler,
  getServiceDefinitionHandler,
  submitRequestHandler,
  submitRequestXmlHandler,
  listRequestsHandler,
  listRequestsXmlHandler,
  getRequestHandler,
  reopenRequestHandler,
  open311FallbackHandler,
  issueApiKeyHandler,
  listApiKeysHandler,
  revokeApiKeyHandler,
]);
