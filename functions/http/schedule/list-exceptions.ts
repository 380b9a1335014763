import { listExceptions } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { listExceptionsRoute } from './routes';

export const listExceptionsHandler = route(listExceptionsRoute, async ({ actor, query }) =>
  ok(await listExceptions(scheduleDeps(), actor, query)),
);
