import { listStatementVersions } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { listStatementVersionsRoute } from './routes';

export const listStatementVersionsHandler = route(listStatementVersionsRoute, async ({ actor, params }) =>
  ok({ items: await listStatementVersions(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month }) }),
);
