import { reopenRequest } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { renderOpen311Error } from './format';
import { reopenRequestRoute } from './routes';

export const reopenRequestHandler = route(
  reopenRequestRoute,
  async ({ params, body }) => ok([await reopenRequest(complaintDeps(), params.service_request_id, body)]),
  { renderError: renderOpen311Error },
);
