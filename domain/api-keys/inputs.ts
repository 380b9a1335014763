import * as z from 'zod';

/** POST /v1/open311/api-keys. */
export const IssueApiKeyInput = z
  .strictObject({
    client: z.string().trim().min(1, 'name the client app the key is for').max(100),
    contact: z.string().trim().min(1).max(200).optional(),
  })
  .meta({ id: 'IssueOpen311ApiKey' });
export type IssueApiKeyInput = z.input<typeof IssueApiKeyInput>;

/** POST /v1/open311/api-keys/{keyId}/revocation. */
export const RevokeApiKeyInput = z
  .strictObject({ reason: z.string().trim().min(1, 'say why the key is revoked').max(500) })
  .meta({ id: 'RevokeOpen311ApiKey' });
export type RevokeApiKeyInput = z.input<typeof RevokeApiKeyInput>;
