import { computeContractMonth } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { computeStatementRoute } from './routes';

export const computeStatementHandler = route(computeStatementRoute, async ({ actor, params }) => {
  const { record, changed } = await computeContractMonth(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month });
  return ok(record, changed ? 201 : 200);
});
