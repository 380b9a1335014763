import { ForbiddenError, NotFoundError, StaleVersionError } from '../errors';
import { authorize, type Actor } from '../policy';
import { parseInput } from '../validation';
import { apiKeyIdFrom, apiKeyOf, keyIdOf, keyMatches, newApiKey, revoke, viewOf } from './api-key';
import { IssueApiKeyInput, RevokeApiKeyInput } from './inputs';
import type { ApiKeyDeps, ApiKeyStore } from './ports';
import { apiKeyIdPattern, type ApiKey, type ApiKeyView, type IssuedApiKey } from './schema';

/**
 * Open311 api_keys (issue 13): the administrator issues one per client app and revokes it when
 * the app is retired or the key leaks; a POST Service Request must carry an active key of the
 * jurisdiction it files in (GeoReport v2 "Errors": 403 for a missing or invalid api_key).
 */

/** The key, shown this once; only its hash is stored. */
export async function issueApiKey(deps: ApiKeyDeps, actor: Actor, input: unknown): Promise<IssuedApiKey> {
  authorize(actor, 'apikey:manage');
  const parsed = parseInput(IssueApiKeyInput, input);
  const keyId = apiKeyIdFrom(deps.ids.next());
  const apiKey = apiKeyOf(keyId, deps.secrets.next());
  const key = newApiKey({ keyId, tenantId: actor.tenantId, client: parsed.client, contact: parsed.contact, apiKey, by: actor.userId, at: deps.clock.now() });
  await deps.keys.save({ key, expectedVersion: undefined });
  return { ...viewOf(key), apiKey };
}

export async function listApiKeys(deps: ApiKeyDeps, actor: Actor): Promise<ApiKeyView[]> {
  authorize(actor, 'apikey:manage');
  return (await deps.keys.list(actor.tenantId)).map(viewOf);
}

export async function revokeApiKey(deps: ApiKeyDeps, actor: Actor, keyId: string, input: unknown, ifMatch: number | undefined): Promise<ApiKeyView> {
  authorize(actor, 'apikey:manage');
  const parsed = parseInput(RevokeApiKeyInput, input);
  const key = apiKeyIdPattern.test(keyId) ? await deps.keys.get(actor.tenantId, keyId) : undefined;
  if (key === undefined) throw new NotFoundError('api key', keyId);
  if (ifMatch !== undefined && ifMatch !== key.version) throw new StaleVersionError('api key', keyId, ifMatch, key.version);
  const revoked = revoke(key, { reason: parsed.reason, by: actor.userId, at: deps.clock.now() });
  await deps.keys.save({ key: revoked, expectedVersion: key.version });
  return viewOf(revoked);
}

/**
 * The active key `apiKey` names in `jurisdictionId`, or ForbiddenError (403) saying why: none
 * sent, not one of this jurisdiction's keys, or revoked. A key of another jurisdiction is not
 * found in this one's partition, so it is "not valid" here, as a guessed one is.
 */
export async function checkApiKey(keys: Pick<ApiKeyStore, 'get'>, jurisdictionId: string, apiKey: string | undefined): Promise<ApiKey> {
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new ForbiddenError('api_key was not provided: POST Service Request needs the api_key issued to your app by the jurisdiction', {
      zh: '未提供 api_key：提交诉求需要辖区为您的应用签发的 api_key',
    });
  }
  const keyId = keyIdOf(apiKey.trim());
  const key = keyId === undefined ? undefined : await keys.get(jurisdictionId, keyId);
  if (key === undefined || !keyMatches(key, apiKey.trim())) {
    throw new ForbiddenError(`invalid api_key: it is not a key of jurisdiction_id '${jurisdictionId}'`, { zh: `api_key 无效：不是辖区 '${jurisdictionId}' 签发的密钥` });
  }
  if (key.status !== 'active') {
    throw new ForbiddenError(`api_key '${key.keyId}' was revoked on ${key.revokedAt ?? '?'}; ask the jurisdiction for a new one`, {
      zh: `api_key '${key.keyId}' 已于 ${key.revokedAt ?? '?'} 吊销；请向辖区申请新的密钥`,
    });
  }
  return key;
}
