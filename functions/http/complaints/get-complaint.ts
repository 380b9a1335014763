import { getComplaint } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrder } from '../shared/names';
import { complaintDeps } from './deps';
import { getComplaintRoute } from './routes';
import { complaintRef, complaintView } from './views';

export const getComplaintHandler = route(getComplaintRoute, async ({ actor, params }) =>
  ok(await namedOrder(actor.tenantId, complaintView(await getComplaint(complaintDeps(), actor, params.complaintId)), complaintRef)),
);
