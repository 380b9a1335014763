import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /open311/discovery.json', async () => (await import('./discovery')).discoveryHandler),
  lazyRoute('GET /open311/discovery.xml', async () => (await import('./discovery')).discoveryXmlHandler),
  lazyRoute('GET /open311/v2/services.json', async () => (await import('./list-services')).listServicesHandler),
  lazyRoute('GET /open311/v2/services.xml', async () => (await import('./list-services')).listServicesXmlHandler),
  lazyRoute('GET /open311/v2/services/{service}', async () => (await import('./get-service-definition')).getServiceDefinitionHandler),
  lazyRoute('POST /open311/v2/requests.json', async () => (await import('./submit-request')).submitRequestHandler),
  lazyRoute('POST /open311/v2/requests.xml', async () => (await import('./submit-request')).submitRequestXmlHandler),
  lazyRoute('GET /open311/v2/requests.json', async () => (await import('./list-requests')).listRequestsHandler),
  lazyRoute('GET /open311/v2/requests.xml', async () => (await import('./list-requests')).listRequestsXmlHandler),
  lazyRoute('GET /open311/v2/requests/{request}', async () => (await import('./get-request')).getRequestHandler),
  lazyRoute('POST /open311/v2/requests/{service_request_id}/reopen.json', async () => (await import('./reopen-request')).reopenRequestHandler),
  lazyRoute('ANY /open311/{proxy+}', async () => (await import('./fallback')).open311FallbackHandler),
  lazyRoute('POST /v1/open311/api-keys', async () => (await import('./api-keys')).issueApiKeyHandler),
  lazyRoute('GET /v1/open311/api-keys', async () => (await import('./api-keys')).listApiKeysHandler),
  lazyRoute('POST /v1/open311/api-keys/{keyId}/revocation', async () => (await import('./api-keys')).revokeApiKeyHandler),
];

/**
 * The Open311 Lambda: Service Discovery and the public GeoReport v2 routes under /open311
 * (XML and JSON, every error as the GeoReport array), and the administrator's api_key desk.
 */
export const handler = lazyHttpModule(routes);
