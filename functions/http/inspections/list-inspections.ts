import { listInspections } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { inspectionDeps } from './deps';
import { listInspectionsRoute } from './routes';

export const listInspectionsHandler = route(listInspectionsRoute, async ({ actor, query }) => ok(await listInspections(inspectionDeps(), actor, query)));
