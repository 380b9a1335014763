import { listEntityAudit } from '../../../domain/audit';
import { ok, route } from '../../shared/http';
import { auditDeps } from './deps';
import { listEntityAuditRoute } from './routes';

export const listEntityAuditHandler = route(listEntityAuditRoute, async ({ actor, params, query }) => ok(await listEntityAudit(auditDeps(), actor, params, query)));
