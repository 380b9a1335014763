import { randomBytes } from 'node:crypto';
import type { ApiKeyDeps } from '../../../domain/api-keys/ports';
import { DynamoApiKeyStore } from '../../adapters/dynamodb/open311-api-key-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: ApiKeyDeps | undefined;

/** Built once per container, at first use. Secrets are 256 random bits, base64url. */
export function apiKeyDeps(): ApiKeyDeps {
  deps ??= {
    keys: new DynamoApiKeyStore(documentClient(), env.mainTable),
    clock: systemClock,
    ids: ulidIds,
    secrets: { next: () => randomBytes(32).toString('base64url') },
  };
  return deps;
}
