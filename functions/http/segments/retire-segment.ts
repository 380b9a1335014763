import { retireSegment } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { retireSegmentRoute } from './routes';

export const retireSegmentHandler = route(retireSegmentRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await retireSegment(segmentDeps(), actor, params.segmentId, ifMatch!, body)),
);
