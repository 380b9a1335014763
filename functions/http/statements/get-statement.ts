import { getStatement } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { getStatementRoute } from './routes';

export const getStatementHandler = route(getStatementRoute, async ({ actor, params, query }) =>
  ok(
    await getStatement(statementDeps(), actor, {
      tenantId: actor.tenantId,
      contractId: params.contractId,
      month: params.month,
      ...(query.version === undefined ? {} : { computeVersion: query.version }),
    }),
  ),
);
