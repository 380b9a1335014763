import { createStandard } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { createStandardRoute } from './routes';

export const createStandardHandler = route(createStandardRoute, async ({ actor, body }) =>
  ok(await createStandard(scheduleDeps(), actor, body), 201),
);
