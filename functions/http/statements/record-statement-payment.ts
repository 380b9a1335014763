import { recordStatementPayment } from '../../../domain/payments/use-cases';
import { ok, route } from '../../shared/http';
import { statementDeps } from './deps';
import { recordStatementPaymentRoute } from './routes';

export const recordStatementPaymentHandler = route(recordStatementPaymentRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await recordStatementPayment(statementDeps(), actor, { tenantId: actor.tenantId, contractId: params.contractId, month: params.month }, ifMatch!, body)),
);
