import { listSegments } from '../../../domain/segments/use-cases';
import { ok, route } from '../../shared/http';
import { segmentDeps } from './deps';
import { listSegmentsRoute } from './routes';

export const listSegmentsHandler = route(listSegmentsRoute, async ({ actor, query }) => {
  const { limit, cursor, ...filter } = query;
  return ok(await listSegments(segmentDeps(), actor, filter, { limit, ...(cursor === undefined ? {} : { cursor }) }));
});
