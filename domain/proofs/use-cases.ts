import { DateTime } from 'luxon';
import * as z from 'zod';
import type { Contract } from '../contracts/schema';
import { CalendarDate, addDays, apiInstant, defaultZone, localDate } from '../dates';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { prefixedUlid } from '../ids';
import { authorize, seesContractor, type Actor } from '../policy';
import type { Clock, IdGenerator, Page } from '../ports';
import type { TaskOutcome } from '../schedule/outcomes';
import type { TaskView } from '../schedule/use-cases';
import type { Segment } from '../segments/schema';
import { requireCapturedNotInFuture } from './capture-time';
import { checkProof, type EvidenceForCheck, type ProofCheckResult } from './checks';
import { evidenceIdOf, evidenceIdPattern, type Evidence, type EvidenceStore, type ProofBlobStore } from './evidence';
import type { ProofStore } from './ports';
import { buildProofReport, type ProofReport } from './report';
import { proofIdPattern, proofStatuses, type Proof, type ProofFailureView, type ReviewAction } from './schema';
import type { ProofSubjectKind } from './subjects';
import { uploadPolicy } from './upload-policy';
import { parseInput } from '../validation';

/**
 * Proof use cases (issue 5, DESIGN §3 "Proof acceptance"): issuing uploads, submitting a
 * task's proof, reviewing (reject / undo) and the per-day report. `issueUpload` and
 * ./checks `evidenceFailures` are generic over the subject kind, so rectification orders and
 * work orders reuse them for their own subjects.
 */

// ---------------------------------------------------------------------------------------
// Uploads (generic).

export interface UploadDeps {
  readonly evidence: Pick<EvidenceStore, 'issue'>;
  readonly blobs: Pick<ProofBlobStore, 'presignUpload'>;
  readonly clock: Clock;
  /** A new lower-case RFC 9562 UUID, injected (STYLE habit 2): the key's file name and the evidence id. */
  uuid(): string;
}

/** What an upload is for; the caller has resolved the subject and checked it exists. */
export interface UploadSubject {
  readonly kind: ProofSubjectKind;
  readonly id: string;
  readonly contractId: string;
  /**
   * The contractor whose work the photo shows: the subject's contractor (the contract's).
   * For task, rectification and work-order photos that contractor's crew is also the
   * uploader; for inspection photos the uploader is an inspector (`issueInspectionUpload`)
   * and this stays the inspected contract's contractor, so the evidence item's
   * `contractorId` means the same for every kind (`issuedBy` says who uploaded).
   */
  readonly contractorId: string;
  /** The subject's tenant-local date (key level 3). */
  readonly localDate: string;
}

export interface IssuedUpload {
  readonly evidenceId: string;
  readonly key: string;
  /** POST the form here: every field of `fields`, then the photo as `file`, last. */
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

export const UploadInput = z
  .strictObject({ contentType: z.string().min(1).max(100).describe('image/jpeg, image/png, image/heic or image/webp') })
  .meta({ id: 'IssueUpload' });
export type UploadInput = z.input<typeof UploadInput>;

/**
 * One presigned POST for one photo of `subject` (issue 5 Upload): only the subject's
 * contractor (evidence:upload with its ownership); the server picks the key; the awaiting
 * evidence item is written BEFORE signing, so every key a phone can post to has an item that
 * ingest will find (an item whose upload never comes expires by TTL). A type outside the
 * allowed list is 400 on body.contentType.
 */
export async function issueUpload(deps: UploadDeps, actor: Actor, subject: UploadSubject, contentType: string): Promise<IssuedUpload> {
  // Inspection photos are the inspector's, never the crew's: a wiring mistake, not input.
  if (subject.kind === 'inspection') throw new RangeError('inspection photos are issued by issueInspectionUpload');
  authorize(actor, 'evidence:upload', { tenantId: actor.tenantId, contractorId: subject.contractorId });
  return issueAuthorized(deps, actor, subject, contentType);
}

/**
 * One presigned POST for one photo of an inspection (issue 6 "Photos reuse the evidence
 * upload machinery"): the same key layout, awaiting item, ingest and claims as the crew's
 * photos, but the uploader is an inspector (`inspection:upload` on the inspected contract's
 * tenant). `subject.contractorId` is the inspected contract's contractor (see UploadSubject).
 */
export async function issueInspectionUpload(
  deps: UploadDeps,
  actor: Actor,
  subject: UploadSubject & { readonly kind: 'inspection' },
  contentType: string,
): Promise<IssuedUpload> {
  if (subject.kind !== 'inspection') throw new RangeError(`issueInspectionUpload issues inspection photos, not ${String(subject.kind)}`);
  authorize(actor, 'inspection:upload', { tenantId: actor.tenantId, contractorId: subject.contractorId });
  return issueAuthorized(deps, actor, subject, contentType);
}

/** The awaiting item, then the signature; the caller has authorized the uploader. */
async function issueAuthorized(deps: UploadDeps, actor: Actor, subject: UploadSubject, contentType: string): Promise<IssuedUpload> {
  const uuid = deps.uuid();
  const now = deps.clock.now();
  const policy = uploadPolicy({ tenantId: actor.tenantId, contractId: subject.contractId, localDate: subject.localDate, subjectId: subject.id, contentType, uuid, now });
  const evidenceId = evidenceIdOf(uuid);
  const item: Evidence = {
    tenantId: actor.tenantId,
    evidenceId,
    key: policy.key,
    contractId: subject.contractId,
    contractorId: subject.contractorId,
    subject: { kind: subject.kind, id: subject.id },
    localDate: subject.localDate,
    status: 'awaiting_upload',
    declaredContentType: contentType,
    issuedAt: now.toISOString(),
    issuedBy: actor.userId,
  };
  await deps.evidence.issue(item);
  const signed = await deps.blobs.presignUpload(policy);
  return { evidenceId, key: policy.key, url: signed.url, fields: signed.fields, expiresAt: policy.expiresAt.toISOString() };
}

/** Evidence items as the checks read them: ingested ones, and the ids nothing answers. */
export function evidenceForCheck(
  requested: readonly string[],
  found: readonly Evidence[],
): { readonly items: EvidenceForCheck[]; readonly missing: string[] } {
  const byId = new Map(found.map((item) => [item.evidenceId, item]));
  const items: EvidenceForCheck[] = [];
  const missing: string[] = [];
  for (const id of new Set(requested)) {
    const item = byId.get(id);
    // An item still awaiting its upload (or whose event has not arrived) is not evidence yet.
    if (item === undefined || item.status === 'awaiting_upload' || item.sha256 === undefined) {
      missing.push(id);
      continue;
    }
    items.push({
      evidenceId: id,
      status: item.status,
      contractorId: item.contractorId,
      taskId: item.subject.id,
      sha256: item.sha256,
      ...(item.refusal === undefined ? {} : { refusal: { message: item.refusal.message, ...(item.refusal.zh === undefined ? {} : { zh: item.refusal.zh }) } }),
      ...(item.exif?.capturedAt === undefined ? {} : { exifCapturedAt: new Date(item.exif.capturedAt) }),
      ...(item.exif?.gps === undefined ? {} : { exifGps: item.exif.gps }),
    });
  }
  return { items, missing };
}

// ---------------------------------------------------------------------------------------
// Task proofs.

export interface ProofDeps extends UploadDeps {
  readonly evidence: EvidenceStore;
  readonly blobs: ProofBlobStore;
  readonly proofs: ProofStore;
  readonly ids: IdGenerator;
  /** The task as the schedule resolves it for this caller (404 for an id that is no real task, 403 for another contractor's). */
  resolveTask(actor: Actor, taskId: string): Promise<TaskView>;
  getContract(tenantId: string, contractId: string): Promise<Pick<Contract, 'tenantId' | 'contractId' | 'contractorId'> | undefined>;
  getSegment(tenantId: string, segmentId: string): Promise<Pick<Segment, 'segmentId' | 'name' | 'widthM' | 'geometry'> | undefined>;
  /** Every derived task of a contract-day with its status (for the report). */
  dayTasks(actor: Actor, contractId: string, date: string): Promise<readonly TaskView[]>;
  /** The tenant's zone; Asia/Shanghai when absent (tenant settings do not exist yet). */
  zone?(tenantId: string): string;
}

const zoneOf = (deps: Pick<ProofDeps, 'zone'>, tenantId: string): string => deps.zone?.(tenantId) ?? defaultZone;

export { taskIntakeWindow, uploadLeadMinutes } from '../schedule/intake';
import { taskIntakeWindow, uploadLeadMinutes } from '../schedule/intake';
/** A claim may be this far ahead of the server clock (phone clocks drift): the one rule of ./capture-time. */
export { clockSkewMinutes } from './capture-time';

function checkIntake(deps: ProofDeps, task: TaskView, tenantId: string, what: string): void {
  const zone = zoneOf(deps, tenantId);
  const { opens, closes } = taskIntakeWindow(task, zone);
  const now = deps.clock.now();
  const show = (instant: Date): string => DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm");
  const whatZh = what === 'uploads' ? '照片上传' : '作业凭证';
  if (now < opens) {
    throw new RuleViolationError(`task ${task.taskId} takes ${what} from ${show(opens)}`, [`${what} open ${uploadLeadMinutes} min before the window (${show(opens)})`], {
      zh: `作业任务 ${task.taskId} 自 ${show(opens)} 起接受${whatZh}`,
      reasonsZh: [`${whatZh}在作业时段开始前 ${uploadLeadMinutes} 分钟开放（${show(opens)}）`],
    });
  }
  if (now >= closes) {
    throw new RuleViolationError(`task ${task.taskId} took ${what} until ${show(closes)}`, [`${what} close at the end of the day after the task's date (${show(closes)})`], {
      zh: `作业任务 ${task.taskId} 的${whatZh}已于 ${show(closes)} 截止`,
      reasonsZh: [`${whatZh}在任务日期次日结束时截止（${show(closes)}）`],
    });
  }
}

async function taskAndContract(deps: ProofDeps, actor: Actor, taskId: string): Promise<{ task: TaskView; contractorId: string }> {
  const task = await deps.resolveTask(actor, taskId);
  const contract = await deps.getContract(actor.tenantId, task.contractId);
  if (contract === undefined) throw new NotFoundError('task', taskId);
  return { task, contractorId: contract.contractorId };
}

/**
 * `POST /v1/tasks/{taskId}/uploads`: one presigned POST for a photo of the task, for the
 * task's contractor only, while the task takes uploads (taskIntakeWindow).
 */
export async function requestTaskUpload(deps: ProofDeps, actor: Actor, taskId: string, input: UploadInput): Promise<IssuedUpload> {
  authorize(actor, 'evidence:upload');
  const { contentType } = parseInput(UploadInput, input, '');
  const { task, contractorId } = await taskAndContract(deps, actor, taskId);
  authorize(actor, 'evidence:upload', { tenantId: actor.tenantId, contractorId });
  checkIntake(deps, task, actor.tenantId, 'uploads');
  return issueUpload(deps, actor, { kind: 'task', id: task.taskId, contractId: task.contractId, contractorId, localDate: task.localDate }, contentType);
}

export const SubmitProofInput = z
  .strictObject({
    evidenceIds: z.array(z.string().regex(evidenceIdPattern, 'not an evidence id (ev_ + 32 hex digits)')).min(1).max(20),
    capturedAt: apiInstant('an ISO 8601 instant with its offset, e.g. 2026-11-23T05:10:00+08:00'),
    gps: z.strictObject({
      lon: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
      accuracyM: z.number().min(0).max(100_000).describe("the phone's reported accuracy radius, metres"),
    }),
    note: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'SubmitProof' });
export type SubmitProofInput = z.input<typeof SubmitProofInput>;

/** What a submission came to: accepted (201), refused by the checks (stored), or a duplicate (not stored). */
export type SubmitResult =
  | { readonly outcome: 'accepted'; readonly proof: Proof }
  | { readonly outcome: 'refused'; readonly proof: Proof }
  | { readonly outcome: 'duplicate'; readonly otherProofId: string; readonly failures: readonly ProofFailureView[] };

function duplicateOf(taskId: string, otherProofId: string): SubmitResult {
  return {
    outcome: 'duplicate',
    otherProofId,
    failures: [
      {
        code: 'duplicate',
        otherProofId,
        message: `task ${taskId} already has accepted proof ${otherProofId}; a new proof is taken only after an inspector rejects it`,
        zh: `作业任务 ${taskId} 已有被接受的作业凭证 ${otherProofId}；须待检查员驳回后才接受新的凭证`,
      },
    ],
  };
}

/**
 * The same subject with the same photos is the same proof (issue 13): a retry whose answer was
 * lost, or a double tap racing itself without an Idempotency-Key, gets the accepted proof back
 * instead of a refusal for reusing its own photos.
 */
function sameProof(proof: Proof, taskId: string, evidenceIds: readonly string[]): boolean {
  const ids = [...new Set(evidenceIds)].sort();
  return (
    proof.subject.kind === 'task' &&
    proof.subject.id === taskId &&
    proof.status === 'accepted' &&
    proof.evidenceIds.length === ids.length &&
    [...proof.evidenceIds].sort().every((id, i) => id === ids[i])
  );
}

/**
 * `POST /v1/tasks/{taskId}/proofs` (DESIGN §3 Proof acceptance, ./checks). Every failed check
 * is reported with its numbers. Accepted: the proof, one photo claim per distinct sha-256 and
 * the task's outcome 'done' in one transaction (the outcome may replace 'missed' — a photo
 * captured in the window and submitted after the sweep still proves the work — or
 * 'rejected' — a new proof after an inspector's rejection). Refused: the proof is stored as
 * refused and nothing else changes. A task whose outcome is 'done' refuses a new proof as a
 * duplicate naming the accepted one, except a repeat of that very claim, which gets the
 * accepted proof back (a retry whose first answer was lost). A race lost on a photo claim is
 * a refusal naming the proof that won it.
 */
export async function submitTaskProof(deps: ProofDeps, actor: Actor, taskId: string, input: SubmitProofInput): Promise<SubmitResult> {
  authorize(actor, 'proof:submit');
  const claim = parseInput(SubmitProofInput, input, '');
  const { task, contractorId } = await taskAndContract(deps, actor, taskId);
  authorize(actor, 'proof:submit', { tenantId: actor.tenantId, contractorId });
  const now = deps.clock.now();
  const capturedAt = new Date(claim.capturedAt);
  requireCapturedNotInFuture(capturedAt, now, 'body.capturedAt', zoneOf(deps, actor.tenantId));
  checkIntake(deps, task, actor.tenantId, 'proofs');
  const ref = { taskId: task.taskId, contractId: task.contractId, localDate: task.localDate };
  const duplicate = async (outcome: TaskOutcome): Promise<SubmitResult> => {
    const otherProofId = outcome.source.kind === 'proof' ? outcome.source.proofId : 'unknown';
    const other = outcome.source.kind === 'proof' ? await deps.proofs.get(actor.tenantId, outcome.source.proofId) : undefined;
    if (other !== undefined && sameProof(other, task.taskId, claim.evidenceIds)) return { outcome: 'accepted', proof: other };
    return duplicateOf(taskId, otherProofId);
  };
  const current = await deps.proofs.getOutcome(actor.tenantId, ref);
  if (current?.status === 'done') return duplicate(current);

  const segment = await deps.getSegment(actor.tenantId, task.segmentId);
  if (segment === undefined) throw new NotFoundError('segment', task.segmentId);
  const own = await deps.evidence.getMany(actor.tenantId, task.taskId, claim.evidenceIds);
  // Ids this task's partition does not hold may have been uploaded for another task: found by their locators, so the refusal says so.
  const absent = claim.evidenceIds.filter((id) => !own.some((item) => item.evidenceId === id));
  const elsewhere = absent.length === 0 ? [] : await deps.evidence.locate(actor.tenantId, absent);
  const { items, missing } = evidenceForCheck(claim.evidenceIds, [...own, ...elsewhere.filter((item) => item.subject.id !== task.taskId)]);
  const zone = zoneOf(deps, actor.tenantId);
  // Only this task's photos are claimed (and looked up): another task's is refused for that alone.
  const hashes = [...new Set(items.filter((item) => item.status === 'valid' && item.taskId === task.taskId).map((item) => item.sha256))];
  const check = async (): Promise<ProofCheckResult> =>
    checkProof({
      task: { taskId: task.taskId, windowStart: new Date(task.windowStart), windowEnd: new Date(task.windowEnd), graceMinutes: task.graceMinutes, minPhotos: task.minPhotos, segmentId: task.segmentId },
      segment: { geometry: segment.geometry, ...(segment.widthM === undefined ? {} : { widthM: segment.widthM }), name: segment.name },
      claim: { capturedAt, gps: claim.gps },
      evidence: items,
      missingEvidenceIds: missing,
      contractorId,
      usedHashes: await deps.proofs.findClaims(actor.tenantId, hashes),
      zone,
    });
  /** The accepted proof of this task that holds every photo this check found reused, when it is this very proof. */
  const heldBySameProof = async (checked: ProofCheckResult): Promise<Proof | undefined> => {
    const holders = new Set(checked.failures.filter((failure) => failure.code === 'photo-reused').map((failure) => failure.otherProofId));
    const [holder, ...more] = [...holders];
    if (holder === undefined || more.length > 0) return undefined;
    const other = await deps.proofs.get(actor.tenantId, holder);
    return other !== undefined && sameProof(other, task.taskId, claim.evidenceIds) ? other : undefined;
  };
  let result = await check();
  const proofId = prefixedUlid('prf', deps.ids.next());
  const proofOf = (checked: ProofCheckResult): Proof => ({
    tenantId: actor.tenantId,
    proofId,
    subject: { kind: 'task', id: task.taskId },
    contractId: task.contractId,
    contractorId,
    localDate: task.localDate,
    segmentId: task.segmentId,
    windowStart: task.windowStart,
    windowEnd: task.windowEnd,
    status: checked.accepted ? 'accepted' : 'refused',
    evidenceIds: [...new Set(claim.evidenceIds)],
    photoHashes: hashes,
    capturedAt: claim.capturedAt,
    gps: claim.gps,
    ...(claim.note === undefined || claim.note === '' ? {} : { note: claim.note }),
    failures: [...checked.failures],
    flags: [...checked.flags],
    geofence: checked.geofence,
    submittedAt: now.toISOString(),
    submittedBy: actor.userId,
    version: 1,
    reviews: [],
  });

  if (result.accepted) {
    const proof = proofOf(result);
    const outcome: TaskOutcome = {
      tenantId: actor.tenantId,
      taskId: task.taskId,
      contractId: task.contractId,
      segmentId: task.segmentId,
      activity: task.activity,
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      localDate: task.localDate,
      status: 'done',
      at: now.toISOString(),
      source: { kind: 'proof', proofId },
    };
    const written = await deps.proofs.recordAccepted(proof, outcome);
    if (written.status === 'recorded') return { outcome: 'accepted', proof };
    if (written.status === 'outcome-taken') {
      const after = await deps.proofs.getOutcome(actor.tenantId, ref);
      if (after?.status === 'done') return duplicate(after);
      throw new ConflictError(`task ${taskId} was being changed by another request at the same moment; nothing was written, retry`, { zh: `作业任务 ${taskId} 正被另一请求同时修改；未写入任何内容，请重试` });
    }
    // Lost a photo to a concurrent proof: judge again with the claims as they now are.
    result = await check();
    if (result.accepted) {
      throw new ConflictError(`photo sha-256 ${written.sha256} was claimed concurrently; nothing was written, retry`, { zh: `照片 sha-256 ${written.sha256} 被同时使用；未写入任何内容，请重试` });
    }
  }
  // Refused only because an identical submission (same task, same photos) got there first: that proof is this one.
  const same = await heldBySameProof(result);
  if (same !== undefined) return { outcome: 'accepted', proof: same };
  const refused = proofOf(result);
  await deps.proofs.recordRefused(refused);
  return { outcome: 'refused', proof: refused };
}

// ---------------------------------------------------------------------------------------
// Reading and review.

async function readableProof(deps: Pick<ProofDeps, 'proofs'>, actor: Actor, proofId: string): Promise<Proof> {
  authorize(actor, 'proof:read');
  const proof = proofIdPattern.test(proofId) ? await deps.proofs.get(actor.tenantId, proofId) : undefined;
  if (proof === undefined) throw new NotFoundError('proof', proofId);
  // Another contractor's proof is 404, not 403: its existence is none of their business.
  if (!isOwn(actor, proof.contractorId)) throw new NotFoundError('proof', proofId);
  authorize(actor, 'proof:read', { tenantId: proof.tenantId, contractorId: proof.contractorId });
  return proof;
}

function isOwn(actor: Actor, contractorId: string): boolean {
  return seesContractor(actor, contractorId);
}

export interface EvidenceView {
  readonly evidenceId: string;
  readonly status: Evidence['status'];
  readonly contentType?: string;
  readonly sizeBytes?: number;
  readonly widthPx?: number;
  readonly heightPx?: number;
  readonly sha256?: string;
  readonly uploadedAt?: string;
  readonly exif?: Evidence['exif'];
  readonly refusal?: Evidence['refusal'];
  /** With links: a presigned GET, valid 5 minutes. */
  readonly url?: string;
  readonly urlExpiresAt?: string;
}

export type ProofDetail = Proof & { readonly evidence: readonly EvidenceView[] };

/** Presigned photo GETs live 5 minutes: long enough to open, too short to pass around. */
export const photoLinkSeconds = 5 * 60;

/**
 * `GET /v1/proofs/{proofId}?links=true`: the proof with its evidence items; with links, a
 * 5-minute presigned GET per ingested photo (the exact object version ingest read).
 */
export async function getProof(deps: Pick<ProofDeps, 'proofs' | 'evidence' | 'blobs'>, actor: Actor, proofId: string, options: { readonly links?: boolean } = {}): Promise<ProofDetail> {
  const proof = await readableProof(deps, actor, proofId);
  const found = await deps.evidence.getMany(proof.tenantId, proof.subject.id, proof.evidenceIds);
  const byId = new Map(found.map((item) => [item.evidenceId, item]));
  const evidence: EvidenceView[] = [];
  for (const id of proof.evidenceIds) {
    const item = byId.get(id);
    if (item === undefined) {
      evidence.push({ evidenceId: id, status: 'awaiting_upload' });
      continue;
    }
    let link: { url: string; expiresAt: Date } | undefined;
    if (options.links === true && item.status !== 'awaiting_upload') {
      link = await deps.blobs.presignDownload(item.key, { ...(item.objectVersionId === undefined ? {} : { versionId: item.objectVersionId }), expiresInSeconds: photoLinkSeconds });
    }
    evidence.push({
      evidenceId: id,
      status: item.status,
      ...(item.detectedContentType === undefined ? {} : { contentType: item.detectedContentType }),
      ...(item.sizeBytes === undefined ? {} : { sizeBytes: item.sizeBytes }),
      ...(item.widthPx === undefined ? {} : { widthPx: item.widthPx, ...(item.heightPx === undefined ? {} : { heightPx: item.heightPx }) }),
      ...(item.sha256 === undefined ? {} : { sha256: item.sha256 }),
      ...(item.uploadedAt === undefined ? {} : { uploadedAt: item.uploadedAt }),
      ...(item.exif === undefined ? {} : { exif: item.exif }),
      ...(item.refusal === undefined ? {} : { refusal: item.refusal }),
      ...(link === undefined ? {} : { url: link.url, urlExpiresAt: link.expiresAt.toISOString() }),
    });
  }
  return { ...proof, evidence };
}

export const ProofListQuery = z.object({
  date: CalendarDate.optional().describe("the tasks' tenant-local date; today when absent"),
  status: z.enum(proofStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2048).optional().describe('opaque cursor from the previous page'),
});
export type ProofListQuery = z.input<typeof ProofListQuery>;

async function readableContract(deps: Pick<ProofDeps, 'getContract'>, actor: Actor, contractId: string): Promise<Pick<Contract, 'tenantId' | 'contractId' | 'contractorId'>> {
  const contract = await deps.getContract(actor.tenantId, contractId);
  if (contract === undefined || !isOwn(actor, contract.contractorId)) throw new NotFoundError('contract', contractId);
  return contract;
}

/**
 * `GET /v1/contracts/{id}/proofs?date=&status=`: a contract-day's proofs in submission order
 * (inspectors, procurement, finance; a contractor user its own contracts' — its proofs,
 * refusals and rejections).
 */
export async function listContractProofs(deps: Pick<ProofDeps, 'proofs' | 'getContract' | 'clock' | 'zone'>, actor: Actor, contractId: string, query: ProofListQuery): Promise<Page<Proof> & { date: string }> {
  authorize(actor, 'proof:read');
  const filter = parseInput(ProofListQuery, query, 'query');
  const contract = await readableContract(deps, actor, contractId);
  authorize(actor, 'proof:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  const date = filter.date ?? localDate(deps.clock.now(), zoneOf(deps, actor.tenantId));
  const page = await deps.proofs.listByContractDay(actor.tenantId, contractId, date, filter.status === undefined ? {} : { status: filter.status }, {
    limit: filter.limit,
    ...(filter.cursor === undefined ? {} : { cursor: filter.cursor }),
  });
  return { date, ...page };
}

export const ReviewInput = z
  .strictObject({ reason: z.string().trim().min(1, 'say why').max(1000) })
  .meta({ id: 'ProofReviewInput' });
export type ReviewInput = z.input<typeof ReviewInput>;

/** A proof's status as a Chinese sentence part ("作业凭证 prf_… 已驳回"). */
const proofStatusZh: Readonly<Record<Proof['status'], string>> = { accepted: '已接受', refused: '未被接受', rejected: '已被驳回' };
/** A task outcome's status in Chinese. */
const taskOutcomeZh: Readonly<Record<string, string>> = { done: '已完成', missed: '漏做', rejected: '已驳回', pending: '待完成' };

async function review(
  deps: Pick<ProofDeps, 'proofs' | 'clock'>,
  actor: Actor,
  proofId: string,
  expectedVersion: number,
  input: ReviewInput,
  action: ReviewAction,
): Promise<Proof> {
  authorize(actor, 'proof:review');
  const { reason } = parseInput(ReviewInput, input, '');
  const proof = await readableProof(deps, actor, proofId);
  authorize(actor, 'proof:review', { tenantId: proof.tenantId, contractorId: proof.contractorId });
  if (proof.version !== expectedVersion) throw new StaleVersionError('proof', proofId, expectedVersion, proof.version);
  const from = action === 'reject' ? 'accepted' : 'rejected';
  if (proof.status !== from) {
    throw action === 'reject'
      ? new ConflictError(`proof ${proofId} is ${proof.status}: only an accepted proof can be rejected`, { zh: `作业凭证 ${proofId} ${proofStatusZh[proof.status]}：只有已接受的凭证可以驳回` })
      : new ConflictError(`proof ${proofId} is ${proof.status}, not rejected: nothing to undo`, { zh: `作业凭证 ${proofId} ${proofStatusZh[proof.status]}，并未被驳回：没有可撤销的驳回` });
  }
  if (proof.subject.kind !== 'task') {
    throw new ConflictError(`proof ${proofId} is for a ${proof.subject.kind}: review it through its order`, { zh: `作业凭证 ${proofId} 不属于作业任务（${proof.subject.kind}）：请通过其所属单据审核` });
  }
  const ref = { taskId: proof.subject.id, contractId: proof.contractId, localDate: proof.localDate };
  const outcome = await deps.proofs.getOutcome(proof.tenantId, ref);
  const outcomeFrom = action === 'reject' ? 'done' : 'rejected';
  const heldByThis = outcome !== undefined && outcome.source.kind === 'proof' && outcome.source.proofId === proofId && outcome.status === outcomeFrom;
  if (outcome === undefined || !heldByThis) {
    const other = outcome?.source.kind === 'proof' && outcome.source.proofId !== proofId ? outcome.source.proofId : undefined;
    const outcomeZh = (status: string | undefined): string => (status === undefined ? '尚无结果' : (taskOutcomeZh[status] ?? status));
    throw other !== undefined && outcome?.status === 'done'
      ? new ConflictError(`task ${ref.taskId} has since been proved by proof ${other}: the rejection of ${proofId} stays`, {
          zh: `作业任务 ${ref.taskId} 此后已由作业凭证 ${other} 证明完成：对 ${proofId} 的驳回保持不变`,
        })
      : new ConflictError(`task ${ref.taskId} is ${outcome?.status ?? 'without an outcome'}, not ${outcomeFrom} by proof ${proofId}`, {
          zh: `作业任务 ${ref.taskId} 当前为「${outcomeZh(outcome?.status)}」，而非由作业凭证 ${proofId} 得到的「${outcomeZh(outcomeFrom)}」`,
        });
  }
  const at = deps.clock.now().toISOString();
  const version = proof.version + 1;
  const next: Proof = {
    ...proof,
    status: action === 'reject' ? 'rejected' : 'accepted',
    version,
    reviews: [...proof.reviews, { action, by: actor.userId, at, reason, version }],
  };
  await deps.proofs.recordReview(next, expectedVersion, { ...outcome, status: action === 'reject' ? 'rejected' : 'done', at }, outcomeFrom);
  return next;
}

/**
 * `POST /v1/proofs/{id}/rejection` (If-Match, inspector): an accepted proof becomes
 * rejected with the reason, and its task's outcome 'rejected' (not done) in the same
 * transaction (DESIGN §3). The crew sees why in the proof's reviews and may submit again.
 */
export async function rejectProof(deps: Pick<ProofDeps, 'proofs' | 'clock'>, actor: Actor, proofId: string, expectedVersion: number, input: ReviewInput): Promise<Proof> {
  return review(deps, actor, proofId, expectedVersion, input, 'reject');
}

/**
 * `POST /v1/proofs/{id}/rejection/undo` (If-Match, inspector): a rejected proof is accepted
 * again and its task done; 409 when another proof has since been accepted for the task.
 */
export async function undoProofRejection(deps: Pick<ProofDeps, 'proofs' | 'clock'>, actor: Actor, proofId: string, expectedVersion: number, input: ReviewInput): Promise<Proof> {
  return review(deps, actor, proofId, expectedVersion, input, 'undo-rejection');
}

export const ProofReportQuery = z.object({ date: CalendarDate.optional().describe('tenant-local date; today when absent') });
export type ProofReportQuery = z.input<typeof ProofReportQuery>;

/**
 * `GET /v1/contracts/{id}/proof-report?date=` (inspectors): tasks done without an accepted
 * proof and accepted proofs whose task is not in the day's derived tasks (./report).
 */
export async function proofReport(deps: Pick<ProofDeps, 'proofs' | 'getContract' | 'dayTasks' | 'clock' | 'zone'>, actor: Actor, contractId: string, query: ProofReportQuery): Promise<ProofReport> {
  authorize(actor, 'proof:review');
  const { date: asked } = parseInput(ProofReportQuery, query, 'query');
  const contract = await readableContract(deps, actor, contractId);
  authorize(actor, 'proof:review', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  const date = asked ?? localDate(deps.clock.now(), zoneOf(deps, actor.tenantId));
  const [tasks, proofs] = await Promise.all([deps.dayTasks(actor, contractId, date), deps.proofs.allByContractDay(actor.tenantId, contractId, date)]);
  return buildProofReport(contractId, date, tasks, proofs);
}
