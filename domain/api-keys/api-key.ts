import { createHash, timingSafeEqual } from 'node:crypto';
import { ConflictError } from '../errors';
import { apiKeyIdPattern, type ApiKey, type ApiKeyView } from './schema';

/**
 * The rules of an Open311 api_key, pure. A key is `{keyId}.{secret}`: the id says which record
 * to read (one GetItem in the jurisdiction's partition, no index over hashes), the secret makes
 * it unguessable. Both parts are form-safe (`[0-9a-z_]` and base64url), so a client sends the
 * key as it is in `api_key=...`.
 */

export function apiKeyIdFrom(ulid: string): string {
  return `key_${ulid.toLowerCase()}`;
}

export function apiKeyOf(keyId: string, secret: string): string {
  return `${keyId}.${secret}`;
}

/** The key id a key names, or undefined when it is not shaped as one of ours. */
export function keyIdOf(apiKey: string): string | undefined {
  const dot = apiKey.indexOf('.');
  if (dot === -1) return undefined;
  const keyId = apiKey.slice(0, dot);
  const secret = apiKey.slice(dot + 1);
  return apiKeyIdPattern.test(keyId) && /^[A-Za-z0-9_-]{20,200}$/.test(secret) ? keyId : undefined;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** True when `apiKey` is the key `record` was issued with (compared in constant time). */
export function keyMatches(record: Pick<ApiKey, 'keySha256'>, apiKey: string): boolean {
  const given = Buffer.from(sha256Hex(apiKey), 'hex');
  const stored = Buffer.from(record.keySha256, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function newApiKey(input: {
  readonly keyId: string;
  readonly tenantId: string;
  readonly client: string;
  readonly contact: string | undefined;
  readonly apiKey: string;
  readonly by: string;
  readonly at: Date;
}): ApiKey {
  return {
    keyId: input.keyId,
    tenantId: input.tenantId,
    client: input.client,
    ...(input.contact === undefined ? {} : { contact: input.contact }),
    keySha256: sha256Hex(input.apiKey),
    status: 'active',
    createdAt: input.at.toISOString(),
    createdBy: input.by,
    version: 1,
  };
}

/** The key revoked: it no longer files reports. Revoking twice is a conflict, not a no-op. */
export function revoke(key: ApiKey, input: { readonly reason: string; readonly by: string; readonly at: Date }): ApiKey {
  if (key.status === 'revoked') {
    throw new ConflictError(`api key '${key.keyId}' was already revoked on ${key.revokedAt ?? '?'}`, { zh: `API 密钥 '${key.keyId}' 已于 ${key.revokedAt ?? '?'} 吊销` });
  }
  return { ...key, status: 'revoked', revokedAt: input.at.toISOString(), revokedBy: input.by, revokedReason: input.reason, version: key.version + 1 };
}

export function viewOf(key: ApiKey): ApiKeyView {
  const { keySha256: _hash, ...view } = key;
  return view;
}
