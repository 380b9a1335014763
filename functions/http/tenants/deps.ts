import type { TenantProfileReader } from '../../../domain/tenants/read';
import { DynamoTenantProfileReader } from '../../adapters/dynamodb/tenant-profile-reader';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

let tenants: TenantProfileReader | undefined;

/** Built once per container, at first use. */
export function tenantDeps(): { readonly tenants: TenantProfileReader } {
  tenants ??= new DynamoTenantProfileReader(documentClient(), env.mainTable);
  return { tenants };
}
