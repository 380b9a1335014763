import { getTender } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { getTenderRoute } from './routes';

export const getTenderHandler = route(getTenderRoute, async ({ actor, params }) =>
  ok(await getTender(tenderDeps(), actor, params.tenderId)),
);
