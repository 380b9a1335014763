import { requestWorkOrderUpload } from '../../../domain/work-orders/use-cases';
import { ok, route } from '../../shared/http';
import { workOrderDeps } from './deps';
import { requestWorkOrderUploadRoute } from './routes';

export const requestWorkOrderUploadHandler = route(requestWorkOrderUploadRoute, async ({ actor, params, body }) =>
  ok(await requestWorkOrderUpload(workOrderDeps(), actor, params.workOrderId, body), 201),
);
