import { listTenders } from '../../../domain/tenders/use-cases';
import { ok, route } from '../../shared/http';
import { tenderDeps } from './deps';
import { listTendersRoute } from './routes';

export const listTendersHandler = route(listTendersRoute, async ({ actor, query }) => {
  const { limit, cursor, ...filter } = query;
  return ok(await listTenders(tenderDeps(), actor, filter, { limit, ...(cursor === undefined ? {} : { cursor }) }));
});
