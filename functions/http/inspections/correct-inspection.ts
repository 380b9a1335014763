import { correctInspection } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { inspectionDeps } from './deps';
import { correctInspectionRoute } from './routes';

export const correctInspectionHandler = route(correctInspectionRoute, async ({ actor, params, body }) =>
  ok(await correctInspection(inspectionDeps(), actor, params.inspectionId, body), 201),
);
