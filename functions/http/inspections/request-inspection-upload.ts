import { requestInspectionPhotoUpload } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { inspectionDeps } from './deps';
import { requestInspectionUploadRoute } from './routes';

export const requestInspectionUploadHandler = route(requestInspectionUploadRoute, async ({ actor, body }) =>
  ok(await requestInspectionPhotoUpload(inspectionDeps(), actor, body), 201),
);
