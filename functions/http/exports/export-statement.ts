import { exportStatement } from '../../../domain/payments/export-statement';
import { ok, route } from '../../shared/http';
import { exportDeps } from './deps';
import { exportStatementRoute } from './routes';

export const exportStatementHandler = route(exportStatementRoute, async ({ actor, params, body }) =>
  ok(await exportStatement(exportDeps(), actor, { contractId: params.contractId, month: params.month, format: body.format, lang: body.lang }), 201),
);
