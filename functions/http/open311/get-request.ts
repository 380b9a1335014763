import { getRequest } from '../../../domain/complaints/use-cases';
import { route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { answer, renderOpen311Error, splitFormat, UnknownFormatError } from './format';
import { getRequestRoute } from './routes';

export const getRequestHandler = route(
  getRequestRoute,
  async ({ params, query }) => {
    const { base: serviceRequestId, extension, format } = splitFormat(params.request);
    if (format === undefined) throw new UnknownFormatError(`requests/${serviceRequestId}`, extension);
    return answer(format, await getRequest(complaintDeps(), query.jurisdiction_id, serviceRequestId), { root: 'service_requests', item: 'request' });
  },
  { renderError: renderOpen311Error },
);
