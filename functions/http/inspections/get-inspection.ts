import { getInspection } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { inspectionDeps } from './deps';
import { getInspectionRoute } from './routes';

export const getInspectionHandler = route(getInspectionRoute, async ({ actor, params }) => ok(await getInspection(inspectionDeps(), actor, params.inspectionId)));
