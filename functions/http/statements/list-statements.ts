import { listStatements } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { listStatementsRoute } from './routes';

export const listStatementsHandler = route(listStatementsRoute, async ({ actor, query }) =>
  ok(
    await listStatements(statementDeps(), actor, {
      tenantId: actor.tenantId,
      month: query.month,
      limit: query.limit,
      ...(query.serviceType === undefined ? {} : { serviceType: query.serviceType }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    }),
  ),
);
