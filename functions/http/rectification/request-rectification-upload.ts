import { requestOrderUpload } from '../../../domain/rectification/use-cases';
import { ok, route } from '../../shared/http';
import { rectificationDeps } from './deps';
import { requestRectificationUploadRoute } from './routes';

export const requestRectificationUploadHandler = route(requestRectificationUploadRoute, async ({ actor, params, body }) =>
  ok(await requestOrderUpload(rectificationDeps(), actor, params.orderId, body), 201),
);
