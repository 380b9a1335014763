import * as z from 'zod';
import { ChecklistQuery, InspectionChecklist } from '../../../domain/inspections/checklist';
import { CorrectionInput, Inspection, InspectionPreview, RecordInspectionInput } from '../../../domain/inspections/schema';
import { InspectionUploadInput } from '../../../domain/inspections/photos';
import { InspectionListQuery } from '../../../domain/inspections/use-cases';
import { RectificationOrder } from '../../../domain/rectification/schema';
import type { RouteSpec } from '../../shared/route';
import { pageOf } from '../../shared/schemas';
import { IssuedUploadView } from '../proofs/routes';
import { OrderNames } from '../shared/names';

const tags = ['inspections'] as const;

// Any text: a malformed id is a 404 like a made-up one.
const InspectionParams = z.object({ inspectionId: z.string().min(1).max(64) });

export const InspectionView = Inspection.extend({
  supersededBy: z
    .object({ supersededBy: z.string(), reason: z.string(), at: z.string() })
    .optional()
    .describe('present when a later inspection corrected this one'),
}).meta({ id: 'InspectionView' });

/**
 * An inspection as read (get and list, issue 14): the inspection with the names of its
 * contract, contractor and segment beside their ids, read when answering. A recording answers
 * the inspection as stored.
 */
export const NamedInspectionView = InspectionView.extend(OrderNames.shape).meta({
  id: 'NamedInspection',
  description: '检查记录 as read: the inspection, with contractTitle, contractorName, segmentName and street beside the ids',
});

export const RecordedInspectionView = z
  .object({ inspection: Inspection, orders: z.array(RectificationOrder).describe('rectification orders raised, one per line whose item has rectify') })
  .meta({ id: 'RecordedInspection' });

export const recordInspectionRoute = {
  operationId: 'recordInspection',
  method: 'POST',
  path: '/v1/inspections',
  summary: 'Record an inspection (inspector): findings priced by the rulebook in force, protocol results behind the weather gates, orders raised',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'inspection:write' },
  body: RecordInspectionInput,
  idempotent: true,
  success: { status: 201, description: 'the inspection with priced lines and totals, and the orders it raised', schema: RecordedInspectionView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const listInspectionsRoute = {
  operationId: 'listInspections',
  method: 'GET',
  path: '/v1/inspections',
  summary: 'Inspections of a contract or a segment in a tenant-local month, by time (contractor users: own contracts)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'inspection:read' },
  query: InspectionListQuery,
  success: { status: 200, description: 'one page, with names beside the ids', schema: pageOf(NamedInspectionView, 'InspectionPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getInspectionRoute = {
  operationId: 'getInspection',
  method: 'GET',
  path: '/v1/inspections/{inspectionId}',
  summary: 'One inspection, with the correction that superseded it if any',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'inspection:read', hidesExistence: true },
  params: InspectionParams,
  success: { status: 200, description: 'the inspection, with names beside the ids', schema: NamedInspectionView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const correctInspectionRoute = {
  operationId: 'correctInspection',
  method: 'POST',
  path: '/v1/inspections/{inspectionId}/corrections',
  summary: 'Correct an inspection with a complete new one that supersedes it, with a reason (once per inspection: 409 after)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'inspection:write' },
  params: InspectionParams,
  body: CorrectionInput,
  idempotent: true,
  success: { status: 201, description: 'the correcting inspection and the orders it raised', schema: RecordedInspectionView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const IssuedInspectionUploadView = IssuedUploadView.extend({
  inspectionId: z.string().describe('the inspection being prepared: name it in further uploads and when recording'),
  contractId: z.string().describe('the contract holding the segment today, under which the photo is filed'),
}).meta({ id: 'IssuedInspectionUpload' });

export const requestInspectionUploadRoute = {
  operationId: 'requestInspectionUpload',
  method: 'POST',
  path: '/v1/inspections/uploads',
  summary: "A presigned S3 POST for one photo of an inspection being prepared (inspector); the first upload allocates the inspection's id",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'inspection:upload' },
  body: InspectionUploadInput,
  idempotent: true,
  success: { status: 201, description: 'the inspection id and the form to POST the photo with', schema: IssuedInspectionUploadView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

/** Names read when answering (functions/http/shared/names.ts), beside the contract's ids. */
const ContractorName = z.object({
  contractorName: z.string().optional().describe("the contractor's registered name (作业单位名称), read when answering; absent when not found"),
});

export const InspectionPreviewView = InspectionPreview.extend({
  contract: InspectionPreview.shape.contract.extend(ContractorName.shape),
}).meta({ id: 'InspectionPreviewView' });

export const previewInspectionRoute = {
  operationId: 'previewInspection',
  method: 'POST',
  path: '/v1/inspections/preview',
  summary: 'Price an inspection before saving it (inspector): the lines, totals and orders POST /v1/inspections would record, with nothing written',
  description:
    'Takes exactly the body of POST /v1/inspections and prices it by the same function (contract and rulebook in force, repeat ordinals from the findings already recorded on the segment this month). Answers the lines, totals, the orders that would be raised with their due times, and warnings. Writes nothing and allocates no id, so it takes no Idempotency-Key. Refuses as recording does, except that photos are not checked (`photos.checked` is false and a warning says so).',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'inspection:write' },
  body: RecordInspectionInput,
  success: { status: 200, description: 'what recording would price and raise; nothing written', schema: InspectionPreviewView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const InspectionChecklistView = InspectionChecklist.extend({
  contract: InspectionChecklist.shape.contract.extend(ContractorName.shape),
}).meta({ id: 'InspectionChecklistView' });

export const getInspectionChecklistRoute = {
  operationId: 'getInspectionChecklist',
  method: 'GET',
  path: '/v1/inspections/checklist',
  summary: "The inspection sheet of a segment: the contract in force and its rulebook's defect items by category (contractor users: own contracts)",
  description:
    'The contract is resolved as recording resolves it (segmentId with serviceType, or a named contractId checked to cover the segment) on the tenant-local day of `at` (default now). Items keep the rulebook\'s order within their category; categories come in the order the rulebook first names them.',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contract:read' },
  query: ChecklistQuery,
  success: { status: 200, description: 'the contract in force and its checklist', schema: InspectionChecklistView },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const inspectionRoutes: readonly RouteSpec[] = [
  recordInspectionRoute,
  previewInspectionRoute,
  listInspectionsRoute,
  getInspectionChecklistRoute,
  getInspectionRoute,
  correctInspectionRoute,
  requestInspectionUploadRoute,
];
