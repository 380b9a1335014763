import { approveStatement } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { approveStatementRoute } from './routes';

export const approveStatementHandler = route(approveStatementRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await approveStatement(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month }, ifMatch!, body)),
);
