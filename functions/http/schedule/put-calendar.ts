import { putCalendar } from '../../../domain/schedule/use-cases';
import { ok, parseIfMatch, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { putCalendarRoute } from './routes';

/** If-Match is optional here (the first write has no version to match), so it is read by hand. */
export const putCalendarHandler = route(putCalendarRoute, async ({ actor, params, body, headers }) =>
  ok(await putCalendar(scheduleDeps(), actor, params.year, parseIfMatch(headers['if-match']), body)),
);
