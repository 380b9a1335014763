import { httpModule } from '../../shared/http';
import { listEntityAuditHandler } from './list-entity-audit';
import { listTenantAuditHandler } from './list-tenant-audit';

/** The audit Lambda: GET /v1/audit and GET /v1/audit/entities/{entity}/{entityId} (issue 8). */
export const handler = httpModule([listEntityAuditHandler, listTenantAuditHandler]);
