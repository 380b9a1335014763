import { createSegment } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { createSegmentRoute } from './routes';

export const createSegmentHandler = route(createSegmentRoute, async ({ actor, body }) =>
  ok(await createSegment(segmentDeps(), actor, body), 201),
);
