import { revealSpotCheck } from '../../../domain/spot-checks/use-cases';
import { ok, route } from '../../shared/http';
import { spotCheckDeps } from './deps';
import { revealSpotCheckRoute } from './routes';

export const revealSpotCheckHandler = route(revealSpotCheckRoute, async ({ actor, params, body }) =>
  ok(await revealSpotCheck(spotCheckDeps(), actor, params.month, body)),
);
