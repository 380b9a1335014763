import type { Clock, IdGenerator } from '../ports';
import type { ApiKey } from './schema';

/** One write of a key: the new state and the version the store must still hold. */
export interface ApiKeyWrite {
  readonly key: ApiKey;
  /** The version being replaced; `undefined` when the key must not exist yet. */
  readonly expectedVersion: number | undefined;
}

/** Storage of a tenant's Open311 api_keys (hashes only). */
export interface ApiKeyStore {
  get(tenantId: string, keyId: string): Promise<ApiKey | undefined>;
  /** Every key of the tenant, oldest first (a district has a handful of client apps). */
  list(tenantId: string): Promise<readonly ApiKey[]>;
  /** Conditional: ConflictError when a new key exists, StaleVersionError when the version moved. */
  save(write: ApiKeyWrite): Promise<void>;
}

export interface ApiKeyDeps {
  readonly keys: ApiKeyStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Unguessable secrets (32 random bytes, base64url, in the adapter). */
  readonly secrets: { next(): string };
}
