import { importSegments } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { importSegmentsRoute } from './routes';

export const importSegmentsHandler = route(importSegmentsRoute, async ({ actor, body }) =>
  ok(await importSegments(segmentDeps(), actor, body)),
);
