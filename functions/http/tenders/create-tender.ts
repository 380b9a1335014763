import { createTender } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { createTenderRoute } from './routes';

export const createTenderHandler = route(createTenderRoute, async ({ actor, body }) =>
  ok(await createTender(tenderDeps(), actor, body), 201),
);
