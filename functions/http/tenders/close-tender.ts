import { closeTender } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { closeTenderRoute } from './routes';

export const closeTenderHandler = route(closeTenderRoute, async ({ actor, params, ifMatch }) =>
  ok(await closeTender(tenderDeps(), actor, params.tenderId, ifMatch!)),
);
