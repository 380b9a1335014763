import { listRequests } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { listRequestsRoute } from './routes';

export const listRequestsHandler = route(listRequestsRoute, async ({ query }) => ok(await listRequests(complaintDeps(), query)));
