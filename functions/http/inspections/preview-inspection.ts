import { previewInspection } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { nameReader } from '../shared/names';
import { inspectionDeps } from './deps';
import { previewInspectionRoute } from './routes';

/** 200, not 201: a preview creates nothing. The contractor's name is read when answering. */
export const previewInspectionHandler = route(previewInspectionRoute, async ({ actor, body }) => {
  const preview = await previewInspection(inspectionDeps(), actor, body);
  const contractorName = (await nameReader()(actor.tenantId, { contractorIds: [preview.contract.contractorId] })).contractors.get(preview.contract.contractorId);
  return ok({ ...preview, contract: { ...preview.contract, ...(contractorName === undefined ? {} : { contractorName }) } });
});
