import { getComplaint } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from './deps';
import { getComplaintRoute } from './routes';
import { complaintView } from './views';

export const getComplaintHandler = route(getComplaintRoute, async ({ actor, params }) =>
  ok(complaintView(await getComplaint(complaintDeps(), actor, params.complaintId))),
);
