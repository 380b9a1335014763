import { getSegment } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { getSegmentRoute } from './routes';

export const getSegmentHandler = route(getSegmentRoute, async ({ actor, params }) =>
  ok(await getSegment(segmentDeps(), actor, params.segmentId)),
);
