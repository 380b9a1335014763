import * as z from 'zod';
import { defaultZone, localDate } from '../dates';
import { ConflictError } from '../errors';
import { prefixedUlid } from '../ids';
import { authorize, type Actor } from '../policy';
import type { Clock, IdGenerator } from '../ports';
import { evidenceFailures, type EvidenceCheckItem } from '../proofs/checks';
import type { Evidence, EvidenceStore } from '../proofs/evidence';
import { issueInspectionUpload, type IssuedUpload, type UploadDeps } from '../proofs/use-cases';
import { ServiceType } from '../service-types';
import { parseInput } from '../validation';
import type { InspectionStore } from './ports';
import { inspectionIdPattern, type FindingInput } from './schema';

/**
 * Inspection photos (issue 6 "Photos reuse the evidence upload machinery"): the inspector
 * photographs a defect first and records the inspection after, so the first upload allocates
 * the inspection's id (`ins_` + ULID, the evidence subject, domain/proofs/subjects) and every
 * later upload and the recording name it. The photos go through the same presigned POST,
 * ingest and photo claims as the crews' proofs: a photo that proves a task, an order or
 * another inspection cannot be a finding's evidence too.
 */

export const InspectionUploadInput = z
  .strictObject({
    segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id'),
    serviceType: ServiceType.optional().describe('with the segment, finds the contract holding it today; required unless contractId is given'),
    contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id').optional().describe('named instead of resolved; checked to cover the segment today'),
    contentType: z.string().min(1).max(100).describe('image/jpeg, image/png, image/heic or image/webp'),
    inspectionId: z.string().regex(inspectionIdPattern, 'not an inspection id').optional().describe("a further photo of an inspection being prepared: the id the first upload returned"),
  })
  .meta({ id: 'InspectionUploadInput' });
export type InspectionUploadInput = z.input<typeof InspectionUploadInput>;

export interface IssuedInspectionUpload extends IssuedUpload {
  /** Name it in the next uploads and in `POST /v1/inspections`. */
  readonly inspectionId: string;
  readonly contractId: string;
}

/** The contract resolution the upload shares with recording (./use-cases). */
export type ContractResolver = (
  tenantId: string,
  fields: { readonly segmentId: string; readonly serviceType?: ServiceType | undefined; readonly contractId?: string | undefined },
  date: string,
) => Promise<{ readonly contract: { readonly contractId: string; readonly contractorId: string } }>;

export interface InspectionUploadDeps extends UploadDeps {
  readonly inspections: Pick<InspectionStore, 'get'>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  tenantZone?(tenantId: string): Promise<string>;
}

/**
 * `POST /v1/inspections/uploads` (inspector): one presigned POST for a photo of the
 * inspection being prepared. The contract is the one holding the segment today for the
 * service type (or the named one, checked), so the key files the photo under that contract
 * and today's tenant-local date; the id is allocated here unless given. A given id already
 * recorded takes no more photos (409): inspections are append-only.
 */
export async function requestInspectionUpload(
  deps: InspectionUploadDeps,
  resolve: ContractResolver,
  actor: Actor,
  input: InspectionUploadInput,
): Promise<IssuedInspectionUpload> {
  authorize(actor, 'inspection:upload');
  const fields = parseInput(InspectionUploadInput, input, '');
  const tenantId = actor.tenantId;
  const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(tenantId);
  const today = localDate(deps.clock.now(), zone);
  const { contract } = await resolve(tenantId, fields, today);
  if (fields.inspectionId !== undefined && (await deps.inspections.get(tenantId, fields.inspectionId)) !== undefined) {
    throw new ConflictError(`inspection '${fields.inspectionId}' is recorded already; photos of a correction are uploaded for the correction`, {
      zh: `检查记录 '${fields.inspectionId}' 已保存；更正的照片请为更正上传`,
    });
  }
  const inspectionId = fields.inspectionId ?? prefixedUlid('ins', deps.ids.next());
  const issued = await issueInspectionUpload(
    deps,
    actor,
    { kind: 'inspection', id: inspectionId, contractId: contract.contractId, contractorId: contract.contractorId, localDate: today },
    fields.contentType,
  );
  return { inspectionId, contractId: contract.contractId, ...issued };
}

/** What checking a recording's photos needs. */
export interface InspectionEvidenceDeps {
  readonly evidence: Pick<EvidenceStore, 'getMany'>;
  /** sha-256 → the id of the record (proof, order, inspection) holding the photo's claim. */
  findClaims(tenantId: string, hashes: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** One photo claim the recording writes in its transaction (functions/adapters/dynamodb/photo-claims). */
export interface InspectionPhotoClaim {
  readonly sha256: string;
  /** The claiming record: the inspection. */
  readonly proofId: string;
  readonly subjectId: string;
}

/** The outcome of checking the photos: every reason to refuse, or the claims to write. */
export type InspectionEvidenceCheck =
  | { readonly ok: true; readonly claims: readonly InspectionPhotoClaim[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

function checkItem(item: Evidence, asSubject: string): EvidenceCheckItem {
  return {
    evidenceId: item.evidenceId,
    status: item.status === 'valid' ? 'valid' : 'refused',
    contractorId: item.contractorId,
    subjectId: asSubject,
    sha256: item.sha256 ?? '',
  };
}

/**
 * The findings' photos (issue 6, with the proofs' evidence rule, DESIGN §3: "every photo
 * uploaded, of an allowed type and size, and never used by another proof (sha-256)"): each
 * uploaded for this inspection, ingested and valid, taken under the inspected contract, and
 * held by no other record's claim (that record is named). A correction may carry the photos
 * of the inspection it supersedes: they were taken of the same defects, and their claims are
 * that inspection's, which the correction replaces (so they are not claimed again).
 */
export async function checkInspectionEvidence(
  deps: InspectionEvidenceDeps,
  tenantId: string,
  inspection: { readonly inspectionId: string; readonly contractId: string; readonly contractorId: string; readonly supersedes?: string },
  findings: readonly Pick<FindingInput, 'evidenceIds'>[],
): Promise<InspectionEvidenceCheck> {
  const ids = [...new Set(findings.flatMap((finding) => finding.evidenceIds))];
  if (ids.length === 0) return { ok: true, claims: [] };
  const own = await deps.evidence.getMany(tenantId, inspection.inspectionId, ids);
  const carried = inspection.supersedes === undefined ? [] : await deps.evidence.getMany(tenantId, inspection.supersedes, ids.filter((id) => !own.some((item) => item.evidenceId === id)));
  // A refusal at ingest may have no hash (unreadable): it is still reported as refused, not as missing.
  const found = [...own, ...carried].filter((item) => item.status === 'refused' || (item.status === 'valid' && item.sha256 !== undefined));
  const foundIds = new Set(found.map((item) => item.evidenceId));
  const hashes = [...new Set(found.filter((item) => item.status === 'valid').map((item) => item.sha256!))];
  const held = await deps.findClaims(tenantId, hashes);
  // A claim of the corrected inspection moves with its photos; this inspection's own would be a retry's.
  const mine = new Set([inspection.inspectionId, ...(inspection.supersedes === undefined ? [] : [inspection.supersedes])]);
  const usedHashes = new Map([...held].filter(([, holder]) => !mine.has(holder)));
  const reasons: string[] = [];
  for (const item of found) {
    if (item.contractId !== inspection.contractId) reasons.push(`photo ${item.evidenceId} was taken under contract ${item.contractId}, not ${inspection.contractId}`);
  }
  const failures = evidenceFailures({
    subject: { kind: 'inspection', id: inspection.inspectionId },
    contractorId: inspection.contractorId,
    // Carried photos count as this inspection's (see above); every other subject fails.
    evidence: found.map((item) => checkItem(item, item.subject.id === inspection.supersedes ? inspection.inspectionId : item.subject.id)),
    missingEvidenceIds: ids.filter((id) => !foundIds.has(id)),
    usedHashes,
  });
  for (const failure of failures) {
    // Evidence lives in its subject's partition, so another subject's photo reads as absent here.
    reasons.push(
      failure.code === 'evidence-missing'
        ? `photo ${failure.evidenceId ?? ''} was not uploaded for inspection ${inspection.inspectionId}, or is not yet processed`
        : failure.message,
    );
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const claimed = new Set([...held].filter(([, holder]) => holder === inspection.supersedes).map(([sha256]) => sha256));
  return { ok: true, claims: hashes.filter((sha256) => !claimed.has(sha256)).map((sha256) => ({ sha256, proofId: inspection.inspectionId, subjectId: inspection.inspectionId })) };
}
