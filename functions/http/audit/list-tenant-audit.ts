import { listTenantAudit } from '../../../domain/audit';
import { ok, route } from '../../shared/http';
import { auditDeps } from './deps';
import { listTenantAuditRoute } from './routes';

export const listTenantAuditHandler = route(listTenantAuditRoute, async ({ actor, query }) => ok(await listTenantAudit(auditDeps(), actor, query)));
