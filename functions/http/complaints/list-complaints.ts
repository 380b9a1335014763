import { listComplaints } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrderPage } from '../shared/names';
import { complaintDeps } from './deps';
import { listComplaintsRoute } from './routes';
import { complaintRef, complaintView } from './views';

export const listComplaintsHandler = route(listComplaintsRoute, async ({ actor, query }) => {
  const page = await listComplaints(complaintDeps(), actor, query);
  return ok(await namedOrderPage(actor.tenantId, { ...page, items: page.items.map(complaintView) }, complaintRef));
});
