import { updateSegment } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { updateSegmentRoute } from './routes';

export const updateSegmentHandler = route(updateSegmentRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await updateSegment(segmentDeps(), actor, params.segmentId, ifMatch!, body)),
);
