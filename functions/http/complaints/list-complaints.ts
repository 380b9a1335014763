import { listComplaints } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from './deps';
import { listComplaintsRoute } from './routes';
import { complaintView } from './views';

export const listComplaintsHandler = route(listComplaintsRoute, async ({ actor, query }) => {
  const page = await listComplaints(complaintDeps(), actor, query);
  return ok({ ...page, items: page.items.map(complaintView) });
});
