import { listRequests } from '../../../domain/complaints/use-cases';
import { route, type HttpRequest } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { answer, renderOpen311Error, type Open311Format } from './format';
import { listRequestsRoute, listRequestsXmlRoute } from './routes';

const listIn = (format: Open311Format) => async ({ query }: Pick<HttpRequest<typeof listRequestsRoute>, 'query'>) =>
  answer(format, await listRequests(complaintDeps(), query), { root: 'service_requests', item: 'request' });

export const listRequestsHandler = route(listRequestsRoute, listIn('json'), { renderError: renderOpen311Error });
export const listRequestsXmlHandler = route(listRequestsXmlRoute, listIn('xml'), { renderError: renderOpen311Error });
