import * as z from 'zod';
import { proofSubjectKinds } from './subjects';
import type { UploadPolicy } from './upload-policy';

/**
 * An evidence item (one photo) from the moment the server issues its upload to the moment
 * ingest has read it. Never deleted or overwritten by the service (DESIGN §5).
 *
 * Lifecycle (one item per evidence id, conditional writes only):
 * - `awaiting_upload`: written by the upload route with the presigned POST; carries who may
 *   use it (contractor), for what (subject) and what was declared (type). TTL `expiresAt`
 *   removes a slot nobody ever used (a week after issue) — the only removal, and only of an
 *   item that never held a photo.
 * - `valid` / `refused`: written once by ingest from the S3 ObjectCreated event, conditional
 *   on the item still awaiting; a duplicate or reordered event finds it ingested and stops.
 *   `refused` keeps the reason; the object stays in S3.
 *
 * The evidence id is derived from the key's server-chosen UUID (`evidenceIdOf`), so ingest
 * finds the item from the key alone.
 */

export const evidenceStatuses = ['awaiting_upload', 'valid', 'refused'] as const;
export type EvidenceStatus = (typeof evidenceStatuses)[number];

export const evidenceRefusalCodes = [
  'type-mismatch', // leading bytes are not the declared type (or not an allowed photo type at all)
  'too-small',
  'too-large',
  'malformed', // not a whole photo of its type: truncated, broken structure, or a header that cannot be decoded (./structure)
  'markup', // HTML or script inside the photo's metadata or after its end (a polyglot)
  'not-issued', // a key in the proofs layout the server never issued
  'unreadable', // the object could not be read to its end
] as const;
export type EvidenceRefusalCode = (typeof evidenceRefusalCodes)[number];

export const EvidenceSubject = z
  .object({
    kind: z.enum(proofSubjectKinds),
    /** `tsk_…`, `rec_…` or `wo_…` (./subjects). */
    id: z.string(),
  })
  .meta({ id: 'EvidenceSubject' });
export type EvidenceSubject = z.infer<typeof EvidenceSubject>;

export const Evidence = z
  .object({
    tenantId: z.string(),
    evidenceId: z.string().describe('ev_ + the 32 hex digits of the key UUID'),
    key: z.string().describe('S3 key under proofs/'),
    contractId: z.string(),
    contractorId: z.string(),
    subject: EvidenceSubject,
    /** The subject's tenant-local date (key level 3). */
    localDate: z.string(),
    status: z.enum(evidenceStatuses),
    declaredContentType: z.string(),
    issuedAt: z.string().describe('ISO 8601 instant the upload was issued'),
    issuedBy: z.string(),
    /** Set by ingest. */
    detectedContentType: z.string().optional(),
    sizeBytes: z.number().int().optional(),
    /** Pixels, as the decoded header gives them (set on valid photos). */
    widthPx: z.number().int().positive().optional(),
    heightPx: z.number().int().positive().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    uploadedAt: z.string().optional().describe('S3 event time'),
    ingestedAt: z.string().optional(),
    /** S3 object identity of what was read: the version id when the bucket versions, and the eTag. */
    objectVersionId: z.string().optional(),
    eTag: z.string().optional(),
    exif: z
      .object({
        capturedAt: z.string().optional().describe('EXIF DateTimeOriginal resolved in the tenant zone (or its OffsetTimeOriginal)'),
        gps: z.object({ lon: z.number(), lat: z.number() }).optional(),
      })
      .optional(),
    refusal: z
      .object({ code: z.enum(evidenceRefusalCodes), message: z.string(), zh: z.string().optional().describe('the reason in Chinese (zh-CN)') })
      .optional(),
  })
  .meta({ id: 'Evidence', description: '作业凭证照片: one uploaded photo and what ingest found' });
export type Evidence = z.infer<typeof Evidence>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const evidenceIdPattern = /^ev_[0-9a-f]{32}$/;

/** `ev_` + the UUID's 32 hex digits: one id per key, computable from the key alone. */
export function evidenceIdOf(uuid: string): string {
  if (!uuidPattern.test(uuid)) throw new RangeError(`'${uuid}' is not a lower-case UUID`);
  return `ev_${uuid.replaceAll('-', '')}`;
}

/** What ingest found in an object, to be recorded on an awaiting item. */
export type IngestResult =
  | {
      readonly status: 'valid';
      readonly detectedContentType: string;
      readonly sizeBytes: number;
      readonly widthPx?: number;
      readonly heightPx?: number;
      readonly sha256: string;
      readonly uploadedAt: string;
      readonly ingestedAt: string;
      readonly objectVersionId?: string;
      readonly eTag?: string;
      readonly exif?: Evidence['exif'];
    }
  | {
      readonly status: 'refused';
      readonly sizeBytes?: number;
      readonly sha256?: string;
      readonly detectedContentType?: string;
      readonly uploadedAt: string;
      readonly ingestedAt: string;
      readonly objectVersionId?: string;
      readonly eTag?: string;
      readonly refusal: { readonly code: EvidenceRefusalCode; readonly message: string; readonly zh?: string };
    };

/** Storage of evidence items; every call is scoped to one tenant. */
export interface EvidenceStore {
  /** Writes a new `awaiting_upload` item; throws ConflictError when the id exists. */
  issue(evidence: Evidence): Promise<void>;
  get(tenantId: string, subjectId: string, evidenceId: string): Promise<Evidence | undefined>;
  /** The items of one subject with these ids (consistent read); absent ids are left out. */
  getMany(tenantId: string, subjectId: string, evidenceIds: readonly string[]): Promise<readonly Evidence[]>;
  /**
   * The items with these ids wherever they were issued (any subject of the tenant), through
   * their locators; ids never issued (or issued before locators existed and never ingested)
   * are left out. For naming a photo that was uploaded for another subject.
   */
  locate(tenantId: string, evidenceIds: readonly string[]): Promise<readonly Evidence[]>;
  /** Every item of one subject (all statuses). */
  listBySubject(tenantId: string, subjectId: string): Promise<readonly Evidence[]>;
  /**
   * Records ingest's result on an item still `awaiting_upload`. Returns 'recorded', or
   * 'already' when it had been ingested (a duplicate or reordered S3 event), or 'missing'
   * when no item was ever issued for the id (the caller then records a `not-issued` refusal
   * with `recordUnissued`).
   */
  recordIngest(tenantId: string, subjectId: string, evidenceId: string, result: IngestResult): Promise<'recorded' | 'already' | 'missing'>;
  /** Records an object under the layout that no upload was issued for (refused `not-issued`); once. */
  recordUnissued(evidence: Evidence): Promise<'recorded' | 'already'>;
}

/** The proofs bucket as the upload and review routes need it (adapter: functions/adapters/s3). */
export interface ProofBlobStore {
  /** Signs the policy (./upload-policy) as an S3 presigned POST: the URL and every form field the phone must send. */
  presignUpload(policy: UploadPolicy): Promise<{ readonly url: string; readonly fields: Readonly<Record<string, string>> }>;
  /** A short-lived GET of one stored photo (the exact version ingest read, when known). */
  presignDownload(key: string, options: { readonly versionId?: string; readonly expiresInSeconds: number }): Promise<{ readonly url: string; readonly expiresAt: Date }>;
}
