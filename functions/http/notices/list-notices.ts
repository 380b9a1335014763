import { listNotices } from '../../../domain/payments/standings';
import { ok, route } from '../../shared/http';
import { noticeDeps } from './deps';
import { listNoticesRoute } from './routes';

export const listNoticesHandler = route(listNoticesRoute, async ({ actor, query }) => ok(await listNotices(noticeDeps(), actor, query)));
