import { readSegmentMonth } from '../../../domain/payments/supervision';
import { ok, route } from '../../shared/http';
import { nameReader } from '../shared/names';
import { supervisionDeps } from './deps';
import { getSegmentMonthRoute } from './routes';

export const getSegmentMonthHandler = route(getSegmentMonthRoute, async ({ actor, params, query }) => {
  const month = await readSegmentMonth(supervisionDeps(), actor, params, query);
  // Names beside ids, one projected BatchGet (geometry is never read: GET /v1/segments has it).
  const names = month.segments.length === 0 ? undefined : await nameReader()(actor.tenantId, { segmentIds: month.segments.map((row) => row.segmentId) });
  return ok({
    ...month,
    segments: month.segments.map((row) => {
      const segment = names?.segments.get(row.segmentId);
      return segment === undefined ? row : { ...row, segmentName: segment.name, street: segment.street };
    }),
  });
});

