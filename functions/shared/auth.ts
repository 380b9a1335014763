import * as z from 'zod';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { roles, type Actor, type Role } from '../../domain/policy';

/**
 * Claims of a Cognito ID token, as API Gateway's JWT authorizer hands them to the handler
 * (`requestContext.authorizer.jwt.claims`). The local stack signs dev tokens with the same
 * claim names, so the same code reads both.
 */
export const claimNames = {
  subject: 'sub',
  groups: 'cognito:groups',
  tenant: 'custom:tenant',
  contractorId: 'custom:contractor_id',
} as const;

/**
 * API Gateway flattens array claims into a string like `[procurement finance]`: the groups
 * joined by spaces. Cognito group names hold no whitespace but may hold commas, so only
 * whitespace separates: a group named `contractor,finance` is one group, and no role
 * (issue 13: split on commas, it became two roles).
 */
function parseGroups(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return value;
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner.split(/\s+/).filter((group) => group.length > 0);
}

const Claims = z.object({
  [claimNames.subject]: z.string().min(1),
  [claimNames.tenant]: z.string().min(1),
  // Cognito omits the claim for a user in no group: signed in, but with no role (403, not 401).
  [claimNames.groups]: z.preprocess(parseGroups, z.array(z.string())).default([]),
  [claimNames.contractorId]: z.string().min(1).optional(),
});

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** Builds the actor from verified claims; groups that are not roles are ignored. */
export function actorFromEvent(event: APIGatewayProxyEventV2): Actor {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer;
  const claims = authorizer?.jwt?.claims;
  if (claims === undefined) throw new UnauthenticatedError('a bearer token is required');
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) {
    throw new UnauthenticatedError(
      `the token lacks required claims: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
    );
  }
  const c = parsed.data;
  const actorRoles = c[claimNames.groups].filter((group): group is Role => (roles as readonly string[]).includes(group));
  const contractorId = c[claimNames.contractorId];
  return {
    userId: c[claimNames.subject],
    tenantId: c[claimNames.tenant],
    roles: actorRoles,
    ...(contractorId === undefined ? {} : { contractorId }),
  };
}
