import { issueApiKey, listApiKeys, revokeApiKey } from '../../../domain/api-keys/use-cases';
import { ok, route } from '../../shared/http';
import { apiKeyDeps } from './deps';
import { issueApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './routes';

export const issueApiKeyHandler = route(issueApiKeyRoute, async ({ actor, body }) => ok(await issueApiKey(apiKeyDeps(), actor, body), 201));

export const listApiKeysHandler = route(listApiKeysRoute, async ({ actor }) => ok({ items: await listApiKeys(apiKeyDeps(), actor) }));

export const revokeApiKeyHandler = route(revokeApiKeyRoute, async ({ actor, params, body, ifMatch }) => ok(await revokeApiKey(apiKeyDeps(), actor, params.keyId, body, ifMatch)));
