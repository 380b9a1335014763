import { segmentHistory } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { segmentHistoryRoute } from './routes';

export const listSegmentHistoryHandler = route(segmentHistoryRoute, async ({ actor, params, query }) =>
  ok(await segmentHistory(segmentDeps(), actor, params.segmentId, query)),
);
