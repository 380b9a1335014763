import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { createSegmentHandler } from './create-segment';
import { getSegmentHandler } from './get-segment';
import { importSegmentsHandler } from './import-segments';
import { listSegmentHistoryHandler } from './list-segment-history';
import { listSegmentsHandler } from './list-segments';
import { retireSegmentHandler } from './retire-segment';
import { updateSegmentHandler } from './update-segment';

/** The segments Lambda: every /v1/segments route. */
export const handler = httpModule([
  createSegmentHandler,
  getSegmentHandler,
  listSegmentsHandler,
  updateSegmentHandler,
  retireSegmentHandler,
  listSegmentHistoryHandler,
  importSegmentsHandler,
], { idempotency: runIdempotently });
