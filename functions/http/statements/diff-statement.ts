import { diffStatementVersions } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { diffStatementRoute } from './routes';

export const diffStatementHandler = route(diffStatementRoute, async ({ actor, params, query }) =>
  ok(await diffStatementVersions(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month, from: query.from, to: query.to })),
);
