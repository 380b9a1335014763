import { reviewStatement } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { reviewStatementRoute } from './routes';

export const reviewStatementHandler = route(reviewStatementRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await reviewStatement(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month }, ifMatch!, body)),
);
