import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { awardLotHandler } from './award-lot';
import { closeTenderHandler } from './close-tender';
import { createTenderHandler } from './create-tender';
import { evaluateLotHandler } from './evaluate-lot';
import { getLotEvaluationHandler } from './get-lot-evaluation';
import { getTenderHandler } from './get-tender';
import { listBidsHandler } from './list-bids';
import { listTendersHandler } from './list-tenders';
import { recordBidHandler } from './record-bid';

/** The tenders Lambda: every /v1/tenders route (tenders, bids, evaluation, award). */
export const handler = httpModule([
  createTenderHandler,
  listTendersHandler,
  getTenderHandler,
  recordBidHandler,
  listBidsHandler,
  closeTenderHandler,
  evaluateLotHandler,
  getLotEvaluationHandler,
  awardLotHandler,
], { idempotency: runIdempotently });
