import * as z from 'zod';
import { ProofListQuery, ProofReportQuery, ReviewInput, SubmitProofInput, UploadInput } from '../../../domain/proofs/use-cases';
import { FlaggedProofQuery } from '../../../domain/proofs/queue';
import { Proof, ProofFlagView, ReviewEntry, proofStatuses } from '../../../domain/proofs/schema';
import type { RouteSpec } from '../../shared/route';
import { pageOf } from '../../shared/schemas';
import { OrderNames } from '../shared/names';
import { ActivityLabel } from '../tasks/names';

const tags = ['proofs'] as const;

// Any text: a malformed task id is a 404 like a made-up one (as GET /v1/tasks/{taskId}).
const TaskParams = z.object({ taskId: z.string().min(1).max(600) });
const ProofParams = z.object({ proofId: z.string().regex(/^prf_[0-9a-z]{26}$/, 'not a proof id (prf_ + 26 characters)') });
const ContractParams = z.object({ contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)') });

export const IssuedUploadView = z
  .object({
    evidenceId: z.string(),
    key: z.string().describe('the S3 key the server chose'),
    url: z.string().describe('POST a multipart form here: every field of `fields` as given, then the photo as `file`, last'),
    fields: z.record(z.string(), z.string()),
    expiresAt: z.string().describe('the form is refused by S3 after this instant (15 minutes)'),
  })
  .meta({ id: 'IssuedUpload' });

export const EvidenceView = z
  .object({
    evidenceId: z.string(),
    status: z.enum(['awaiting_upload', 'valid', 'refused']),
    contentType: z.string().optional(),
    sizeBytes: z.number().int().optional(),
    widthPx: z.number().int().optional().describe('pixels, from the decoded header'),
    heightPx: z.number().int().optional(),
    sha256: z.string().optional(),
    uploadedAt: z.string().optional(),
    exif: z.object({ capturedAt: z.string().optional(), gps: z.object({ lon: z.number(), lat: z.number() }).optional() }).optional(),
    refusal: z.object({ code: z.string(), message: z.string(), zh: z.string().optional() }).optional(),
    url: z.string().optional().describe('presigned GET, valid 5 minutes (with links)'),
    urlExpiresAt: z.string().optional(),
  })
  .meta({ id: 'ProofEvidence' });

export const ProofDetailView = Proof.extend({ evidence: z.array(EvidenceView) }).meta({ id: 'ProofDetail' });

export const requestTaskUploadRoute = {
  operationId: 'requestTaskUpload',
  method: 'POST',
  path: '/v1/tasks/{taskId}/uploads',
  summary: "A presigned S3 POST for one photo of a task (the task's contractor; from 60 min before the window to the end of the next day)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'evidence:upload' },
  params: TaskParams,
  body: UploadInput,
  idempotent: true,
  success: { status: 201, description: 'the form to POST the photo with', schema: IssuedUploadView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const submitTaskProofRoute = {
  operationId: 'submitTaskProof',
  method: 'POST',
  path: '/v1/tasks/{taskId}/proofs',
  summary: 'Submit the proof of a task: photos, capture time, GPS (201 accepted; 422 listing every failed check, the refused proof stored)',
  description:
    'Checks (DESIGN §3): capture time within the window, its end widened by the grace; GPS within max(50 m, width/2 + 30 m) of the segment, crediting the fix accuracy up to 30 m (a fix coarser than 100 m is refused); at least the activity\'s photo count (distinct photos); every photo ingested, valid, this contractor\'s and this task\'s, and never used by another proof (sha-256). EXIF disagreements are flags, not refusals. A task with an accepted proof refuses another (422 duplicate) until an inspector rejects it. A task the missed-task sweep marked missed is still proved by photos captured inside its window: proofs are taken until the end of the day after the task\'s date. A refused proof is stored (listed with status=refused) and leaves the task pending, so the crew may submit again.',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:submit' },
  params: TaskParams,
  body: SubmitProofInput,
  idempotent: true,
  success: { status: 201, description: 'the accepted proof', schema: Proof },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const listContractProofsRoute = {
  operationId: 'listContractProofs',
  method: 'GET',
  path: '/v1/contracts/{contractId}/proofs',
  summary: "A contract-day's proofs by status (contractor users: own contracts — their proofs, refusals and rejections)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:read', hidesExistence: true },
  params: ContractParams,
  query: ProofListQuery,
  success: { status: 200, description: 'one page, in submission order', schema: z.object({ date: z.string(), items: z.array(Proof), nextCursor: z.string().optional() }).meta({ id: 'ProofPage' }) },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getProofRoute = {
  operationId: 'getProof',
  method: 'GET',
  path: '/v1/proofs/{proofId}',
  summary: 'A proof with its photos (links=true: presigned GETs valid 5 minutes)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:read', hidesExistence: true },
  params: ProofParams,
  query: z.object({ links: z.enum(['true', 'false']).default('false').describe('add a 5-minute presigned GET per photo') }),
  success: { status: 200, description: 'the proof', schema: ProofDetailView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const listProofPhotosRoute = {
  operationId: 'listProofPhotos',
  method: 'GET',
  path: '/v1/proofs/{proofId}/photos',
  summary: "A proof's photos, each with a presigned GET valid 5 minutes",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:read', hidesExistence: true },
  params: ProofParams,
  success: { status: 200, description: 'the photos', schema: z.object({ items: z.array(EvidenceView) }).meta({ id: 'ProofPhotos' }) },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const rejectProofRoute = {
  operationId: 'rejectProof',
  method: 'POST',
  path: '/v1/proofs/{proofId}/rejection',
  summary: "Reject an accepted proof with a reason (inspectors): the task is then not done ('rejected')",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:review' },
  params: ProofParams,
  body: ReviewInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the rejected proof (a review entry appended)', schema: Proof },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const undoProofRejectionRoute = {
  operationId: 'undoProofRejection',
  method: 'POST',
  path: '/v1/proofs/{proofId}/rejection/undo',
  summary: 'Undo a rejection with a reason (inspectors): accepted again and the task done; 409 when another proof was accepted since',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:review' },
  params: ProofParams,
  body: ReviewInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the accepted proof (a review entry appended)', schema: Proof },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

/** One entry of the flagged-proof queue, with the names beside its ids (issue 14). */
export const FlaggedProofView = z
  .object({
    proofId: z.string(),
    version: z.number().int().positive().describe("the proof's version: send it as If-Match to reject it (POST /v1/proofs/{proofId}/rejection)"),
    status: z.enum(proofStatuses).describe('accepted: a rejected proof leaves the queue (the index may list it for a moment after the rejection)'),
    taskId: z.string(),
    activity: z.string().describe('the activity slug, e.g. sweep'),
    activityLabel: ActivityLabel,
    contractId: z.string(),
    contractTitle: OrderNames.shape.contractTitle,
    contractorId: z.string(),
    contractorName: OrderNames.shape.contractorName,
    segmentId: z.string(),
    segmentName: OrderNames.shape.segmentName,
    street: OrderNames.shape.street,
    localDate: z.string().describe("the task's tenant-local date"),
    windowStart: z.string().optional().describe('the task window the checks used'),
    windowEnd: z.string().optional(),
    capturedAt: z.string().describe('ISO 8601 instant as claimed by the crew'),
    submittedAt: z.string(),
    gps: Proof.shape.gps,
    geofence: Proof.shape.geofence,
    note: z.string().optional().describe("the crew's note"),
    flags: z.array(ProofFlagView).min(1).describe('what the inspector should look at: code, the English message and its Chinese (zh) with the numbers, and the photo it concerns'),
    evidenceIds: z.array(z.string()).describe("every photo of the proof: GET /v1/proofs/{proofId}/photos gives each a 5-minute link, to view them side by side"),
    flaggedEvidenceIds: z.array(z.string()).describe('the photos some flag names, in the order of evidenceIds'),
    reviews: z.array(ReviewEntry).describe('earlier reviews (a proof whose rejection was undone is back in the queue)'),
  })
  .meta({ id: 'FlaggedProof', description: 'an accepted proof whose photos disagree with the claim (EXIF time or place): for an inspector to look at' });

export const listFlaggedProofsRoute = {
  operationId: 'listFlaggedProofs',
  method: 'GET',
  path: '/v1/proofs/flagged',
  summary: 'The flagged-proof queue (inspectors, admin): accepted task proofs carrying flags, across contracts, newest task date first',
  description:
    "Accepted proofs whose photos' EXIF time or position disagrees with the claim (flags, not refusals: DESIGN §3), newest task date first and, within a date, newest submission first. Filters: contractId, and month or from / to (the tasks' tenant-local dates, inclusive). The cursor is bound to the filters: reuse it only with the same ones. Rejecting a proof (POST /v1/proofs/{proofId}/rejection, If-Match: its version) takes it out of the queue; undoing the rejection puts it back. Photos: GET /v1/proofs/{proofId}/photos. Contractor users are refused (403): the queue spans every contractor.",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'proof:queue' },
  query: FlaggedProofQuery,
  success: { status: 200, description: 'one page of the queue, newest first', schema: pageOf(FlaggedProofView, 'FlaggedProofPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const proofReportRoute = {
  operationId: 'getProofReport',
  method: 'GET',
  path: '/v1/contracts/{contractId}/proof-report',
  summary: 'Completed without proof / proof without task, for one contract-day (inspectors)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'proof:review' },
  params: ContractParams,
  query: ProofReportQuery,
  success: {
    status: 200,
    description: 'the report with counts',
    schema: z
      .object({
        contractId: z.string(),
        date: z.string(),
        counts: z.object({ tasks: z.number().int(), done: z.number().int(), acceptedProofs: z.number().int(), completedWithoutProof: z.number().int(), proofWithoutTask: z.number().int() }),
        completedWithoutProof: z.array(z.object({ taskId: z.string(), segmentId: z.string(), activity: z.string(), windowStart: z.string() })),
        proofWithoutTask: z.array(z.object({ proofId: z.string(), taskId: z.string(), segmentId: z.string().optional(), submittedAt: z.string() })),
      })
      .meta({ id: 'ProofReport' }),
  },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const proofRoutes: readonly RouteSpec[] = [
  requestTaskUploadRoute,
  submitTaskProofRoute,
  listContractProofsRoute,
  listFlaggedProofsRoute,
  getProofRoute,
  listProofPhotosRoute,
  rejectProofRoute,
  undoProofRejectionRoute,
  proofReportRoute,
];
