import { expandStatementLine } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { getStatementLineRoute } from './routes';

export const getStatementLineHandler = route(getStatementLineRoute, async ({ actor, params, query }) =>
  ok(
    await expandStatementLine(statementDeps(), actor, {
      tenantId: actor.tenantId,
      contractId: params.contractId,
      month: params.month,
      lineKey: params.lineKey,
      ...(query.version === undefined ? {} : { computeVersion: query.version }),
    }),
  ),
);
