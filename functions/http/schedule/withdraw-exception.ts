import { withdrawException } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { withdrawExceptionRoute } from './routes';

export const withdrawExceptionHandler = route(withdrawExceptionRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await withdrawException(scheduleDeps(), actor, params.exceptionId, ifMatch!, body ?? {})),
);
