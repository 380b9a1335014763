import { NotFoundError } from '../errors';
import { authorize, type Actor } from '../policy';

/**
 * What any signed-in user of a district reads about it (issue 15): the name its forms print
 * (the 结算单's 单位) and the zone its local times are in. Nothing else of the tenant item is
 * shown; the tenant's id is the caller's own.
 */
export interface TenantProfile {
  readonly tenantId: string;
  /** The authority's name, e.g. 静安区城市管理局. */
  readonly name: string;
  /** IANA zone of every local time of the tenant. */
  readonly zone: string;
}

/** Reads a tenant's profile; undefined when the tenant item is missing. */
export interface TenantProfileReader {
  profileOf(tenantId: string): Promise<TenantProfile | undefined>;
}

/** The caller's own district (`tenant:read`: every role); a tenant without its item is 404. */
export async function readOwnTenant(deps: { readonly tenants: TenantProfileReader }, actor: Actor): Promise<TenantProfile> {
  authorize(actor, 'tenant:read', { tenantId: actor.tenantId });
  const profile = await deps.tenants.profileOf(actor.tenantId);
  if (profile === undefined) throw new NotFoundError('tenant', actor.tenantId);
  return profile;
}
