import { SignJWT } from 'jose';
import { claimNames } from '../../functions/shared/auth';
import { DEV_ONLY_JWT_SECRET, devAudience, devIssuer } from '../../infra/local/dev-auth';

/**
 * A dev token whose `cognito:groups` claim holds exactly `groups`, names that are no role
 * included (devToken refuses those): a Cognito group named `contractor,finance` is one group
 * (issue 13), and the local adapter flattens the claim as API Gateway does (`[a b]`).
 */
export async function tokenWithGroups(groups: readonly string[], claims: { readonly tenantId: string; readonly contractorId?: string; readonly sub?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    [claimNames.groups]: [...groups],
    [claimNames.tenant]: claims.tenantId,
    ...(claims.contractorId === undefined ? {} : { [claimNames.contractorId]: claims.contractorId }),
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'dev-groups')
    .setIssuer(devIssuer)
    .setAudience(devAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(DEV_ONLY_JWT_SECRET));
}
