import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { commitSpotCheckHandler } from './commit-spot-check';
import { getSpotCheckHandler } from './get-spot-check';
import { revealSpotCheckHandler } from './reveal-spot-check';

/** The spot-checks Lambda: commit, reveal and read the monthly verifiable draws. */
export const handler = httpModule([commitSpotCheckHandler, revealSpotCheckHandler, getSpotCheckHandler], { idempotency: runIdempotently });
