import type { InspectionView } from '../../../domain/inspections/ports';
import { listInspections } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrderPage } from '../shared/names';
import { inspectionDeps } from './deps';
import { listInspectionsRoute } from './routes';

export const listInspectionsHandler = route(listInspectionsRoute, async ({ actor, query }) =>
  ok(await namedOrderPage(actor.tenantId, await listInspections(inspectionDeps(), actor, query), (inspection: InspectionView) => inspection)),
);
