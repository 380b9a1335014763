import { defaultZone } from '../dates';
import type { Clock } from '../ports';
import { evidenceIdOf, type Evidence, type EvidenceStore, type IngestResult } from './evidence';
import { decideIngest, exifFacts, refusedIngest, type RawExif } from './ingest';
import { parseProofKey, proofContentTypes, type ParsedProofKey, type ProofContentType } from './keys';
import { sniffContentType } from './sniff';
import type { StructureVerdict } from './structure';

/**
 * Ingest of one stored object (issue 5, "Ingest"): find the evidence item its key was issued
 * for, read the object once, decide (./ingest) and record the result with a conditional write.
 * S3 events come at least once and in any order; the store's conditions make every repeat a
 * no-op, so this may run any number of times per object and leaves exactly one item.
 */

/** What reading an object to its end found. */
export interface ReadObject {
  readonly sizeBytes: number;
  readonly sha256: string;
  /** The first bytes (up to the reader's limit), for type sniffing, EXIF and the header. */
  readonly head: Uint8Array;
  /** The whole object walked as it streamed (./structure `structureScanner`). */
  readonly structure: StructureVerdict;
  readonly versionId?: string;
  readonly eTag?: string;
}

/**
 * An object that cannot be read now or later (gone, a version that does not exist, fewer
 * bytes than announced). Any other error from the reader is taken as passing (throttling,
 * 5xx) and propagates, so the event is retried instead of the photo being refused.
 */
export class ObjectUnreadableError extends Error {
  override readonly name = 'ObjectUnreadableError';
}

export interface ProofObjectReader {
  /** Streams the object (the given version when known); throws ObjectUnreadableError for a permanent failure. */
  read(key: string, versionId?: string): Promise<ReadObject>;
}

export interface IngestDeps {
  readonly evidence: EvidenceStore;
  readonly objects: ProofObjectReader;
  /** EXIF of the leading bytes as raw values, or undefined when there is none or it is broken. */
  readonly readExif: (head: Uint8Array) => Promise<RawExif | undefined>;
  /** The header of the leading bytes decoded as `type` (image-size): its pixels, or undefined when it cannot be decoded. */
  readonly readImageHeader: (head: Uint8Array, type: ProofContentType) => { readonly width: number; readonly height: number } | undefined;
  readonly clock: Clock;
  /** The tenant's IANA zone (undefined: the default, Asia/Shanghai). */
  readonly tenantZone?: (tenantId: string) => Promise<string | undefined>;
}

/** One S3 ObjectCreated record, as the use case needs it. */
export interface StoredObject {
  /** The decoded key. */
  readonly key: string;
  readonly sizeBytes: number;
  readonly versionId?: string;
  readonly eTag?: string;
  /** The event time (ISO 8601): when S3 stored the object. */
  readonly eventTime: string;
}

export type IngestOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | {
      readonly outcome: 'recorded' | 'already';
      readonly tenantId: string;
      readonly evidenceId: string;
      /** What this run decided; absent when an earlier event had already recorded the item. */
      readonly result?: IngestResult;
    };

/** An item for an object under the layout that no upload was issued for; it only records the refusal. */
function unissuedItem(parts: ParsedProofKey, key: string, evidenceId: string, result: IngestResult): Evidence {
  return {
    tenantId: parts.tenantId,
    evidenceId,
    key,
    contractId: parts.contractId,
    // Nobody was issued this key, so no contractor owns it; '' never matches an actor.
    contractorId: '',
    subject: { kind: parts.subjectKind, id: parts.subjectId },
    localDate: parts.localDate,
    declaredContentType: parts.contentType,
    issuedAt: result.ingestedAt,
    issuedBy: 'ingest',
    ...result,
  };
}

/** Ingests one object; see the module comment for the guarantees. */
export async function ingestObject(deps: IngestDeps, object: StoredObject): Promise<IngestOutcome> {
  const parts = parseProofKey(object.key);
  if (parts === undefined) return { outcome: 'ignored', reason: 'the key is outside the proofs layout' };
  const evidenceId = evidenceIdOf(parts.uuid);
  const { tenantId, subjectId } = parts;
  const identity = {
    uploadedAt: object.eventTime,
    ...(object.versionId === undefined ? {} : { objectVersionId: object.versionId }),
    ...(object.eTag === undefined ? {} : { eTag: object.eTag }),
  };

  const issued = await deps.evidence.get(tenantId, subjectId, evidenceId);
  if (issued !== undefined && issued.status !== 'awaiting_upload') {
    // A duplicate or reordered event: the first one decided; reading the object again would change nothing.
    return { outcome: 'already', tenantId, evidenceId };
  }
  if (issued !== undefined && issued.key !== object.key) {
    // Same server UUID under another extension: the policy pins the key, so AWS never stores this;
    // recording it would overwrite the real photo's slot.
    return { outcome: 'ignored', reason: `the issued key for ${evidenceId} is ${issued.key}` };
  }
  if (issued === undefined) return recordUnissued(deps, parts, object, evidenceId, identity);

  let result: IngestResult;
  try {
    const read = await deps.objects.read(object.key, object.versionId);
    const raw = await deps.readExif(read.head);
    const versionId = read.versionId ?? object.versionId;
    const eTag = read.eTag ?? object.eTag;
    const detectedContentType = sniffContentType(read.head);
    result = decideIngest({
      issued,
      sizeBytes: read.sizeBytes,
      detectedContentType,
      leadingBytes: read.head,
      structure: read.structure,
      header: detectedContentType === undefined ? undefined : deps.readImageHeader(read.head, detectedContentType),
      sha256: read.sha256,
      exif: exifFacts(raw, (await deps.tenantZone?.(tenantId)) ?? defaultZone),
      uploadedAt: object.eventTime,
      now: deps.clock.now(),
      ...(versionId === undefined ? {} : { objectVersionId: versionId }),
      ...(eTag === undefined ? {} : { eTag }),
    });
  } catch (error) {
    if (!(error instanceof ObjectUnreadableError)) throw error;
    result = refusedIngest('unreadable', `the object could not be read to its end: ${error.message}`, `无法读完该文件：${error.message}`, {
      ...identity,
      now: deps.clock.now(),
      sizeBytes: object.sizeBytes,
    });
  }
  const recorded = await deps.evidence.recordIngest(tenantId, subjectId, evidenceId, result);
  if (recorded === 'missing') {
    // The awaiting item expired (TTL, a week) between the read and the write.
    return recordUnissued(deps, parts, object, evidenceId, identity);
  }
  return recorded === 'recorded' ? { outcome: 'recorded', tenantId, evidenceId, result } : { outcome: 'already', tenantId, evidenceId };
}

async function recordUnissued(
  deps: IngestDeps,
  parts: ParsedProofKey,
  object: StoredObject,
  evidenceId: string,
  identity: { readonly uploadedAt: string; readonly objectVersionId?: string; readonly eTag?: string },
): Promise<IngestOutcome> {
  const ext = proofContentTypes[parts.contentType];
  const result = refusedIngest('not-issued', `no upload was issued for ${parts.uuid}.${ext} of ${parts.subjectId}`, `未为 ${parts.subjectId} 签发过 ${parts.uuid}.${ext} 的上传`, {
    ...identity,
    now: deps.clock.now(),
    sizeBytes: object.sizeBytes,
  });
  const recorded = await deps.evidence.recordUnissued(unissuedItem(parts, object.key, evidenceId, result));
  return recorded === 'recorded'
    ? { outcome: 'recorded', tenantId: parts.tenantId, evidenceId, result }
    : { outcome: 'already', tenantId: parts.tenantId, evidenceId };
}
