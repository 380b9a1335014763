import * as z from 'zod';

/**
 * Open311 api_keys (issue 13; GeoReport v2: "POST Service Request — Requires API Key: Yes").
 * One key per client app (the district's 12345 app, a WeChat mini-program, a partner's
 * kiosk), issued by the tenant's administrator and valid for that tenant's jurisdiction only.
 * The key is shown once, when issued; only its SHA-256 is kept.
 */

export const apiKeyIdPattern = /^key_[0-9a-z]{26}$/;

export const apiKeyStatuses = ['active', 'revoked'] as const;
export type ApiKeyStatus = (typeof apiKeyStatuses)[number];

/** The stored record. */
export interface ApiKey {
  readonly keyId: string;
  readonly tenantId: string;
  /** The client app the key was issued to, as the administrator names it. */
  readonly client: string;
  /** Who to call about the app (its developer), optional. */
  readonly contact?: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  readonly keySha256: string;
  readonly status: ApiKeyStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
  readonly revokedReason?: string;
  readonly version: number;
}

/** A key as the API shows it: everything but its hash. */
export const ApiKeyView = z
  .object({
    keyId: z.string(),
    tenantId: z.string(),
    client: z.string(),
    contact: z.string().optional(),
    status: z.enum(apiKeyStatuses),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
    revokedReason: z.string().optional(),
    version: z.number().int(),
  })
  .meta({ id: 'Open311ApiKey' });
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const IssuedApiKey = ApiKeyView.extend({
  apiKey: z.string().describe('the key to configure in the client app, sent as the api_key form field; shown only here'),
}).meta({ id: 'IssuedOpen311ApiKey' });
export type IssuedApiKey = z.infer<typeof IssuedApiKey>;
