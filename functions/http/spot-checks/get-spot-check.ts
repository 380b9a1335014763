import { getSpotCheck } from '../../../domain/spot-checks/use-cases';
import { ok, route } from '../../shared/http';
import { spotCheckDeps } from './deps';
import { getSpotCheckRoute } from './routes';

export const getSpotCheckHandler = route(getSpotCheckRoute, async ({ actor, params, query }) =>
  ok(await getSpotCheck(spotCheckDeps(), actor, params.month, query.serviceType)),
);
