import { getInspection } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { namedOrder } from '../shared/names';
import { inspectionDeps } from './deps';
import { getInspectionRoute } from './routes';

export const getInspectionHandler = route(getInspectionRoute, async ({ actor, params }) =>
  ok(await namedOrder(actor.tenantId, await getInspection(inspectionDeps(), actor, params.inspectionId), (inspection) => inspection)),
);
