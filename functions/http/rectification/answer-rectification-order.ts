import { answerRectification } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { answerRectificationOrderRoute } from './routes';

export const answerRectificationOrderHandler = route(answerRectificationOrderRoute, async ({ actor, params, body }) =>
  ok(await answerRectification(rectificationDeps(), actor, params.orderId, body), 201),
);
