import { verifyComplaint } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from './deps';
import { verifyComplaintRoute } from './routes';
import { complaintView } from './views';

export const verifyComplaintHandler = route(verifyComplaintRoute, async ({ actor, params, body, ifMatch }) =>
  ok(complaintView(await verifyComplaint(complaintDeps(), actor, params.complaintId, body, ifMatch))),
);
