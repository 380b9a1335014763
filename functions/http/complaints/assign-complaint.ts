import { assignComplaint } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from './deps';
import { assignComplaintRoute } from './routes';
import { complaintView } from './views';

export const assignComplaintHandler = route(assignComplaintRoute, async ({ actor, params, body, ifMatch }) =>
  ok(complaintView(await assignComplaint(complaintDeps(), actor, params.complaintId, body, ifMatch))),
);
