import { listStandards } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { listStandardsRoute } from './routes';

export const listStandardsHandler = route(listStandardsRoute, async ({ actor, query }) =>
  ok(await listStandards(scheduleDeps(), actor, { limit: query.limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) })),
);
