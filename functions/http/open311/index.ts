import { httpModule } from '../../shared/http';
import { getRequestHandler } from './get-request';
import { listRequestsHandler } from './list-requests';
import { listServicesHandler } from './list-services';
import { reopenRequestHandler } from './reopen-request';
import { submitRequestHandler } from './submit-request';

/** The Open311 Lambda: the public GeoReport v2 routes under /open311/v2. */
export const handler = httpModule([listServicesHandler, submitRequestHandler, listRequestsHandler, getRequestHandler, reopenRequestHandler]);
