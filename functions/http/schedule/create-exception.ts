import { createException, type CreateExceptionInput } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { createExceptionRoute } from './routes';

export const createExceptionHandler = route(createExceptionRoute, async ({ actor, body }) =>
  ok(await createException(scheduleDeps(), actor, body as CreateExceptionInput), 201),
);
