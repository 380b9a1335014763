import { getCalendar } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { getCalendarRoute } from './routes';

export const getCalendarHandler = route(getCalendarRoute, async ({ actor, query }) =>
  ok(await getCalendar(scheduleDeps(), actor, query.year)),
);
