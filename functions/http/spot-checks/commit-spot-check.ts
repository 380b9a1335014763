import { commitSpotCheck } from '../../../domain/spot-checks/use-cases';
import { ok, route } from '../../shared/http';
import { spotCheckDeps } from './deps';
import { commitSpotCheckRoute } from './routes';

export const commitSpotCheckHandler = route(commitSpotCheckRoute, async ({ actor, params, body }) =>
  ok(await commitSpotCheck(spotCheckDeps(), actor, params.month, body), 201),
);
