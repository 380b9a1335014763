import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { claimNames } from '../../functions/shared/auth';
import { roles, type Role } from '../../domain/policy';

/**
 * Dev-only bearer tokens for the local stack. In AWS, Cognito signs ID tokens and API
 * Gateway's JWT authorizer verifies them; locally this module signs tokens with the same
 * claim names and the HTTP adapter verifies them, so handlers cannot tell the difference.
 */

/**
 * DEV ONLY — NOT A SECRET. Committed on purpose so that every developer's local stack and
 * test run accept the same tokens. Nothing deployed trusts this key: in AWS the JWT
 * authorizer trusts only the Cognito user pool's issuer (infra/stateless.ts).
 */
export const DEV_ONLY_JWT_SECRET = 'xiuhua-local-dev-only-hs256-secret-never-use-in-aws-0f6c2b';

/** Issuer and audience of dev tokens; the adapter refuses tokens with any other. */
export const devIssuer = 'xiuhua-local';
export const devAudience = 'xiuhua-local-client';

/** Lifetime of a minted token: a working day of clicking around the local API. */
export const devTokenLifetimeSeconds = 12 * 60 * 60;

const secretKey = new TextEncoder().encode(DEV_ONLY_JWT_SECRET);

/** Who a dev token speaks for. */
export interface DevTokenInput {
  /** One role or several; each becomes a Cognito group. */
  readonly role?: Role;
  readonly roles?: readonly Role[];
  readonly tenantId: string;
  /** For contractor users: the contractor whose records they see (DESIGN §4). */
  readonly contractorId?: string;
  /** Subject (user id); defaults to `dev-<first role>`. */
  readonly sub?: string;
  /** Lifetime in seconds; default 12 h. A negative value mints an already expired token (tests). */
  readonly expiresInSeconds?: number;
  /** Signing secret; tests pass another one to produce a token the adapter must refuse. */
  readonly secret?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * Mints an HS256 ID-token look-alike carrying the claims Cognito would carry: `sub`,
 * `cognito:groups`, `custom:tenant` and, for contractors, `custom:contractor_id`.
 */
export async function devToken(input: DevTokenInput): Promise<string> {
  const tokenRoles = [...(input.roles ?? []), ...(input.role === undefined ? [] : [input.role])];
  if (tokenRoles.length === 0) throw new Error('devToken needs a role or roles');
  const unknown = tokenRoles.filter((role) => !(roles as readonly string[]).includes(role));
  if (unknown.length > 0) throw new Error(`devToken: unknown role(s) ${unknown.join(', ')}; roles are ${roles.join(', ')}`);
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    [claimNames.groups]: [...new Set(tokenRoles)],
    [claimNames.tenant]: input.tenantId,
    ...(input.contractorId === undefined ? {} : { [claimNames.contractorId]: input.contractorId }),
    // Cognito ID tokens say what they are; kept so the claims look like the real thing.
    token_use: 'id',
    'cognito:username': input.sub ?? `dev-${tokenRoles[0]}`,
  };
  const key = input.secret === undefined ? secretKey : new TextEncoder().encode(input.secret);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub ?? `dev-${tokenRoles[0]}`)
    .setIssuer(input.issuer ?? devIssuer)
    .setAudience(input.audience ?? devAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + (input.expiresInSeconds ?? devTokenLifetimeSeconds))
    .sign(key);
}

/** Why a bearer token was refused; the adapter turns it into a 401 problem. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * Verifies a dev token as API Gateway's JWT authorizer verifies a Cognito one: signature,
 * issuer, audience, expiry. Returns the verified claims.
 */
export async function verifyDevToken(token: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, secretKey, {
      issuer: devIssuer,
      audience: devAudience,
      algorithms: ['HS256'],
    });
    return payload;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidTokenError(`the bearer token is not valid: ${reason}`, { cause: error });
  }
}
