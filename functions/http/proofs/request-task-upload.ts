import { requestTaskUpload } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { requestTaskUploadRoute } from './routes';

export const requestTaskUploadHandler = route(requestTaskUploadRoute, async ({ actor, params, body }) =>
  ok(await requestTaskUpload(proofDeps(), actor, params.taskId, body), 201),
);
