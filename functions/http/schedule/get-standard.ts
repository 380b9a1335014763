import { getStandard } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { getStandardRoute } from './routes';

export const getStandardHandler = route(getStandardRoute, async ({ actor, params, query }) =>
  ok(await getStandard(scheduleDeps(), actor, params.standardId, query.version)),
);
