import { readStandings } from '../../../domain/payments/standings';
import { ok, route } from '../../shared/http';
import { rankingDeps } from './deps';
import { getRankingsRoute } from './routes';

export const getRankingsHandler = route(getRankingsRoute, async ({ actor, query }) => ok(await readStandings(rankingDeps(), actor, query)));
