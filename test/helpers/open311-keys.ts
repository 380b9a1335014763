import { api, tokenFor } from './api';

/**
 * An Open311 api_key for `tenantId`, issued through the API as the tenant's administrator
 * would (POST /v1/open311/api-keys, issue 13): POST Service Request refuses a request without
 * one (403). Kept per tenant, so a suite issues one key per tenant however many reports it files.
 */
const issued = new Map<string, Promise<string>>();

export function open311KeyFor(tenantId: string, client = 'xiuhua tests'): Promise<string> {
  let key = issued.get(tenantId);
  if (key === undefined) {
    key = (async () => {
      const admin = await tokenFor('admin', { tenantId });
      const answer = await api.request<{ apiKey: string }>('POST', '/v1/open311/api-keys', { token: admin, body: { client } });
      if (answer.status !== 201) throw new Error(`issuing an Open311 api_key for ${tenantId} answered ${answer.status}: ${answer.text}`);
      return answer.json.apiKey;
    })();
    key.catch(() => issued.delete(tenantId));
    issued.set(tenantId, key);
  }
  return key;
}
