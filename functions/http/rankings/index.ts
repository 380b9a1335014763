import { httpModule } from '../../shared/http';
import { getRankingsHandler } from './get-rankings';

/** The rankings Lambda: GET /v1/rankings. */
export const handler = httpModule([getRankingsHandler]);
