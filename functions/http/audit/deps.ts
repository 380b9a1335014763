import type { AuditDeps } from '../../../domain/audit';
import { DynamoAuditLog } from '../../adapters/dynamodb/audit-log';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

let deps: AuditDeps | undefined;

/** Built once per container, at first use. The module reads the audit table only. */
export function auditDeps(): AuditDeps {
  deps ??= { audit: new DynamoAuditLog(documentClient(), env.auditTable) };
  return deps;
}
