import { getRequest } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { getRequestRoute } from './routes';

export const getRequestHandler = route(getRequestRoute, async ({ params, query }) =>
  ok(await getRequest(complaintDeps(), query.jurisdiction_id, params.request.slice(0, -'.json'.length))),
);
