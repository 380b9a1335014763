import { readOwnTenant } from '../../../domain/tenants/read';
import { ok, route } from '../../shared/http';
import { tenantDeps } from './deps';
import { getTenantRoute } from './routes';

export const getTenantHandler = route(getTenantRoute, async ({ actor }) => ok(await readOwnTenant(tenantDeps(), actor)));
