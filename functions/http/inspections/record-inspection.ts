import { recordInspection } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { inspectionDeps } from './deps';
import { recordInspectionRoute } from './routes';

export const recordInspectionHandler = route(recordInspectionRoute, async ({ actor, body }) => ok(await recordInspection(inspectionDeps(), actor, body), 201));
