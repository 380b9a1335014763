import { inspectionChecklist } from '../../../domain/inspections/use-cases';
import { ok, route } from '../../shared/http';
import { nameReader } from '../shared/names';
import { inspectionDeps } from './deps';
import { getInspectionChecklistRoute } from './routes';

/** The checklist with the contractor's registered name, read when answering (functions/http/shared/names.ts). */
export const getInspectionChecklistHandler = route(getInspectionChecklistRoute, async ({ actor, query }) => {
  const checklist = await inspectionChecklist(inspectionDeps(), actor, query);
  const contractorName = (await nameReader()(actor.tenantId, { contractorIds: [checklist.contract.contractorId] })).contractors.get(checklist.contract.contractorId);
  return ok({ ...checklist, contract: { ...checklist.contract, ...(contractorName === undefined ? {} : { contractorName }) } });
});
