import * as z from 'zod';
import { apiInstant, defaultZone, localDate } from '../dates';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { prefixedUlid } from '../ids';
import type { Contract, ContractTerms } from '../contracts/schema';
import { termsAsOf } from '../contracts/terms';
import type { ContractStore } from '../contracts/ports';
import { authorize, seesContractor, type Actor } from '../policy';
import type { Clock, IdGenerator, Page } from '../ports';
import { evidenceIdPattern, type EvidenceStore, type ProofBlobStore } from '../proofs/evidence';
import { geofenceLimitM, maxAccuracyCreditM, maxAccuracyM } from '../proofs/checks';
import { requireCapturedNotInFuture } from '../proofs/capture-time';
import { distanceToGeometryM } from '../proofs/distance';
import { issueUpload, UploadInput, type IssuedUpload } from '../proofs/use-cases';
import type { Segment } from '../segments/schema';
import { defectItem } from '../rulebooks/rules';
import { parseInput } from '../validation';
import { acceptOrder, answerOrder, dueAtFor, isOwing, latePenaltyFor, markLate, orderStatusZh, reopenOrder, shouldMarkLate } from './order';
import type { RectificationOrderStore } from './ports';
import { GpsPoint, RaiseOrderInput, type Penalty, RectificationStatus, type RectificationAnswer, type RectificationOrder } from './schema';

/**
 * Raising rectification orders (整改通知书). Inspections raise theirs through `buildOrder`
 * inside their own transaction; complaint routing (and anything else) calls `raiseOrder`.
 * Neither authorizes: the caller has decided the order is due (an inspector's finding, a
 * routed citizen complaint), and a citizen has no actor.
 */

export interface RaiseOrderDeps {
  readonly orders: RectificationOrderStore;
  readonly contracts: Pick<ContractStore, 'get'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The tenant's IANA zone; Asia/Shanghai when not wired. */
  tenantZone?(tenantId: string): Promise<string>;
}

/** Contract statuses whose contractor can be ordered to fix something. */
const orderableStatuses: readonly Contract['status'][] = ['active', 'suspended'];

export interface BuildOrderContext {
  readonly contract: Contract;
  readonly terms: ContractTerms;
  readonly orderId: string;
  readonly zone: string;
  readonly now: Date;
  /**
   * What the defect itself cost (an inspection line: count x item x repeat factor), which a
   * `sameAsDefect` late penalty repeats; default one occurrence of the item.
   */
  readonly defectPrice?: Penalty;
}

/**
 * A new open order from parsed input and the contract terms in force at its issue date.
 * Pure. The penalty for lateness and the deadline come from the rulebook of those terms.
 */
export function buildOrder(input: ReturnType<typeof RaiseOrderInput.parse>, context: BuildOrderContext): RectificationOrder {
  const { contract, terms } = context;
  const issuedAt = input.issuedAt === undefined ? context.now : new Date(input.issuedAt);
  const itemCode = input.itemCode ?? (input.origin.kind === 'inspection' ? input.origin.itemCode : undefined);
  const item = itemCode === undefined ? undefined : defectItem(terms.rulebook, itemCode);
  if (itemCode !== undefined && item === undefined) {
    throw new ValidationError(
      'unknown rulebook item',
      [
        {
          path: 'itemCode',
          message: `the rulebook of contract '${contract.contractId}' (terms version ${terms.termsVersion}) has no item '${itemCode}'`,
          zh: `合同 '${contract.contractId}'（条款版本 ${terms.termsVersion}）的考核办法中没有条目 '${itemCode}'`,
        },
      ],
      { zh: '考核办法中没有该条目' },
    );
  }
  let dueAt: Date;
  if (input.origin.kind === 'inspection') {
    if (input.dueAt !== undefined) {
      throw new ValidationError(
        'an inspection order takes its deadline from the rulebook',
        [{ path: 'dueAt', message: "omit dueAt: it is the finding time plus the item's rectify hours", zh: '请勿给出 dueAt：整改期限为发现时间加该条目的整改小时数' }],
        { zh: '检查开出的整改通知书按考核办法确定期限' },
      );
    }
    if (item?.rectify === undefined) {
      throw new RuleViolationError(`item '${itemCode ?? ''}' raises no rectification order`, [`the rulebook item '${itemCode ?? ''}' has no rectify period`], {
        zh: `条目 '${itemCode ?? ''}' 不开具整改通知书`,
        reasonsZh: [`考核办法条目 '${itemCode ?? ''}' 没有整改期限`],
      });
    }
    dueAt = dueAtFor(issuedAt, item.rectify.hours, context.zone);
  } else {
    if (input.dueAt === undefined) {
      throw new ValidationError('a complaint order needs a deadline', [{ path: 'dueAt', message: "the service's deadline is required for a complaint", zh: '诉求须给出服务类别的处理期限' }], {
        zh: '诉求开出的整改通知书须有期限',
      });
    }
    dueAt = new Date(input.dueAt);
  }
  if (dueAt.getTime() <= issuedAt.getTime()) {
    throw new ValidationError(
      'the deadline must follow the issue time',
      [{ path: 'dueAt', message: `dueAt ${dueAt.toISOString()} is not after issuedAt ${issuedAt.toISOString()}`, zh: `dueAt ${dueAt.toISOString()} 不晚于 issuedAt ${issuedAt.toISOString()}` }],
      { zh: '整改期限须晚于开具时间' },
    );
  }
  const mode = item?.rectify?.mode;
  return {
    orderId: context.orderId,
    tenantId: contract.tenantId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    segmentId: input.segmentId,
    serviceType: contract.serviceType,
    origin: input.origin,
    ...(itemCode === undefined ? {} : { itemCode }),
    ...(mode === undefined ? {} : { mode }),
    description: input.description,
    termsVersion: terms.termsVersion,
    // waive_if_rectified: lateness costs the finding's own deduction (pricing.ts findingCharge), not a penalty on top.
    latePenalty: mode === 'waive_if_rectified' ? { pointsX100: 0, fineFen: 0 } : latePenaltyFor(terms.rulebook, context.defectPrice ?? item),
    issuedAt: issuedAt.toISOString(),
    issuedBy: input.by,
    dueAt: dueAt.toISOString(),
    status: 'open',
    answers: [],
    reviews: [],
    version: 1,
    updatedAt: context.now.toISOString(),
  };
}

/**
 * The terms of `contract` in force on `date` that cover `segmentId`, or a RuleViolationError
 * saying why none do (not active or suspended, outside its dates, segment not in scope).
 */
export function termsCovering(contract: Contract, segmentId: string, date: string): ContractTerms {
  if (!orderableStatuses.includes(contract.status)) {
    throw new RuleViolationError(`contract '${contract.contractId}' is ${contract.status}`, [`contract '${contract.contractId}' is ${contract.status}, not active or suspended`], {
      zh: `合同 '${contract.contractId}' 的状态为 ${contract.status}`,
      reasonsZh: [`合同 '${contract.contractId}' 的状态为 ${contract.status}，不是履行中或暂停`],
    });
  }
  const terms = termsAsOf(contract, date);
  if (terms === undefined) {
    throw new RuleViolationError(`contract '${contract.contractId}' is not in force on ${date}`, [`contract '${contract.contractId}' runs ${contract.startDate} – ${contract.endDate}; ${date} is outside`], {
      zh: `合同 '${contract.contractId}' 在 ${date} 不在履行期内`,
      reasonsZh: [`合同 '${contract.contractId}' 的履行期为 ${contract.startDate} – ${contract.endDate}；${date} 不在其内`],
    });
  }
  if (!terms.scope.includes(segmentId)) {
    throw new RuleViolationError(
      `segment '${segmentId}' is not in contract '${contract.contractId}' on ${date}`,
      [`segment '${segmentId}' is not in the scope of contract '${contract.contractId}' (terms version ${terms.termsVersion}) on ${date}`],
      {
        zh: `路段 '${segmentId}' 在 ${date} 不属于合同 '${contract.contractId}'`,
        reasonsZh: [`路段 '${segmentId}' 在 ${date} 不在合同 '${contract.contractId}'（条款版本 ${terms.termsVersion}）的范围内`],
      },
    );
  }
  return terms;
}

/**
 * Raises one order (complaints: origin complaint, a due time, perhaps no item). The contract
 * must be active or suspended and hold the segment on the tenant-local issue date.
 */
export async function raiseOrder(deps: RaiseOrderDeps, input: RaiseOrderInput): Promise<RectificationOrder> {
  const parsed = parseInput(RaiseOrderInput, input, '');
  const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(parsed.tenantId);
  const now = deps.clock.now();
  const contract = await deps.contracts.get(parsed.tenantId, parsed.contractId);
  if (contract === undefined) throw new NotFoundError('contract', parsed.contractId);
  const issuedAt = parsed.issuedAt === undefined ? now : new Date(parsed.issuedAt);
  const terms = termsCovering(contract, parsed.segmentId, localDate(issuedAt, zone));
  const order = buildOrder(parsed, { contract, terms, orderId: prefixedUlid('rec', deps.ids.next()), zone, now });
  await deps.orders.save({ order, expectedVersion: undefined });
  return order;
}

// ---------------------------------------------------------------------------------------
// Reading, answering, reviewing, sweeping.

export interface RectificationDeps extends RaiseOrderDeps {
  readonly evidence: Pick<EvidenceStore, 'getMany' | 'issue'>;
  readonly blobs: Pick<ProofBlobStore, 'presignUpload'>;
  /** A new lower-case UUID for an upload key (issueUpload). */
  uuid(): string;
  /** The order's segment, for the geofence of an answer's GPS; without it GPS is recorded unchecked. */
  getSegment?(tenantId: string, segmentId: string): Promise<Pick<Segment, 'geometry' | 'widthM'> | undefined>;
}

/**
 * Why an answer's GPS fix is not at the segment: the proofs' geofence (DESIGN §3 "Proof
 * acceptance": max(50 m, width / 2 + 30 m), the fix's accuracy credited up to 30 m, fixes
 * coarser than 100 m refused). Empty when it is.
 */
export function answerGpsReasons(gps: GpsPoint, segment: Pick<Segment, 'geometry' | 'widthM'>): string[] {
  return answerGpsRefusals(gps, segment).map((reason) => reason.en);
}

/** A reason of a refused answer, in English and Chinese (issue 14). */
interface Reason {
  readonly en: string;
  readonly zh: string;
}

function answerGpsRefusals(gps: GpsPoint, segment: Pick<Segment, 'geometry' | 'widthM'>): Reason[] {
  const accuracyM = gps.accuracyM ?? 0;
  if (accuracyM > maxAccuracyM) {
    return [{ en: `gps: fix too coarse (accuracy ${Math.round(accuracyM)} m, at most ${maxAccuracyM} m)`, zh: `gps：定位精度过低（精度 ${Math.round(accuracyM)} 米，至多 ${maxAccuracyM} 米）` }];
  }
  const distanceM = distanceToGeometryM(gps, segment.geometry);
  const limitM = geofenceLimitM(segment.widthM);
  const creditM = Math.min(accuracyM, maxAccuracyCreditM);
  return distanceM - creditM > limitM
    ? [{ en: `gps: ${Math.round(distanceM)} m from the segment, more than the ${Math.round(limitM)} m geofence`, zh: `gps：距路段 ${Math.round(distanceM)} 米，超出 ${Math.round(limitM)} 米的地理围栏` }]
    : [];
}

/** Another contractor's order is as absent as a made-up id. */
function readable(actor: Actor, action: 'rectification:read' | 'rectification:answer', order: RectificationOrder | undefined, orderId: string): RectificationOrder {
  if (order === undefined) throw new NotFoundError('rectification order', orderId);
  try {
    authorize(actor, action, { tenantId: order.tenantId, contractorId: order.contractorId });
  } catch (error) {
    if (error instanceof ForbiddenError && !seesContractor(actor, order.contractorId)) {
      throw new NotFoundError('rectification order', orderId, { cause: error });
    }
    throw error;
  }
  return order;
}

export async function getOrder(deps: Pick<RaiseOrderDeps, 'orders'>, actor: Actor, orderId: string): Promise<RectificationOrder> {
  authorize(actor, 'rectification:read');
  return readable(actor, 'rectification:read', await deps.orders.get(actor.tenantId, orderId), orderId);
}

export const OrderListQuery = z.object({
  contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id'),
  status: RectificationStatus.optional(),
  dueBefore: apiInstant().optional().describe('orders due strictly before this instant'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});
export type OrderListQuery = z.input<typeof OrderListQuery>;

/** Orders of one contract by due time (contractor users: own contracts only). */
export async function listOrders(deps: Pick<RaiseOrderDeps, 'orders' | 'contracts'>, actor: Actor, query: OrderListQuery): Promise<Page<RectificationOrder>> {
  authorize(actor, 'rectification:read');
  const parsed = parseInput(OrderListQuery, query, 'query');
  const contract = await deps.contracts.get(actor.tenantId, parsed.contractId);
  if (contract === undefined) throw new NotFoundError('contract', parsed.contractId);
  authorize(actor, 'rectification:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  return deps.orders.list(
    actor.tenantId,
    {
      contractId: parsed.contractId,
      ...(parsed.status === undefined ? {} : { status: parsed.status }),
      ...(parsed.dueBefore === undefined ? {} : { dueBefore: new Date(parsed.dueBefore).toISOString() }),
    },
    { limit: parsed.limit, ...(parsed.cursor === undefined ? {} : { cursor: parsed.cursor }) },
  );
}

/**
 * A presigned upload for a photo of the order's fix (the evidence machinery of issue 5,
 * subject kind `rectification`). Only while the order owes a fix.
 */
export async function requestOrderUpload(deps: RectificationDeps, actor: Actor, orderId: string, input: UploadInput): Promise<IssuedUpload> {
  const parsed = parseInput(UploadInput, input, '');
  const order = readable(actor, 'rectification:answer', await deps.orders.get(actor.tenantId, orderId), orderId);
  if (!isOwing(order)) {
    throw new ConflictError(`rectification order '${orderId}' is ${order.status}; photos are taken for open or reopened orders`, {
      zh: `整改通知书 '${orderId}' ${orderStatusZh[order.status]}；只有待整改或已重新开启的通知书接受照片`,
    });
  }
  const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(actor.tenantId);
  return issueUpload(deps, actor, { kind: 'rectification', id: orderId, contractId: order.contractId, contractorId: order.contractorId, localDate: localDate(new Date(order.issuedAt), zone) }, parsed.contentType);
}

export const AnswerInput = z
  .strictObject({
    evidenceIds: z.array(z.string().regex(evidenceIdPattern, 'not an evidence id')).min(1, 'an answer needs at least one photo').max(20),
    gps: GpsPoint.optional(),
    capturedAt: apiInstant().optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'RectificationAnswerInput' });
export type AnswerInput = z.input<typeof AnswerInput>;

/** What answering writes beside the order: one photo claim per photo (no photo proves twice). */
export interface PhotoClaimRef {
  readonly sha256: string;
  readonly proofId: string;
  readonly subjectId: string;
}

/**
 * The contractor answers an open or reopened order with photos uploaded for it (ingested,
 * valid, its own), optional GPS and capture time, and a note. Each photo's sha-256 is claimed
 * in the same write, so a photo used by any other proof is refused (issue 5). An answer after
 * the deadline marks the order late at once (order.ts).
 */
export async function answerRectification(deps: RectificationDeps, actor: Actor, orderId: string, input: AnswerInput): Promise<RectificationOrder> {
  const parsed = parseInput(AnswerInput, input, '');
  const order = readable(actor, 'rectification:answer', await deps.orders.get(actor.tenantId, orderId), orderId);
  if (parsed.capturedAt !== undefined) {
    const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(actor.tenantId);
    requireCapturedNotInFuture(new Date(parsed.capturedAt), deps.clock.now(), 'body.capturedAt', zone);
  }
  const found = await deps.evidence.getMany(actor.tenantId, orderId, parsed.evidenceIds);
  const byId = new Map(found.map((item) => [item.evidenceId, item]));
  const reasons: Reason[] = [];
  const claims: PhotoClaimRef[] = [];
  const proofId = `${orderId}#A${order.answers.length + 1}`;
  for (const id of new Set(parsed.evidenceIds)) {
    const item = byId.get(id);
    if (item === undefined || item.subject.id !== orderId) reasons.push({ en: `${id}: no photo was uploaded for this order under that id`, zh: `${id}：此整改通知书没有以该编号上传的照片` });
    else if (item.status === 'awaiting_upload' || item.sha256 === undefined) reasons.push({ en: `${id}: the upload has not arrived or is not yet checked`, zh: `${id}：照片尚未上传完成或尚未检查` });
    else if (item.status === 'refused') {
      reasons.push({
        en: `${id}: refused at upload (${item.refusal?.message ?? item.refusal?.code ?? 'refused'})`,
        zh: `${id}：上传时被拒收（${item.refusal?.zh ?? item.refusal?.message ?? item.refusal?.code ?? '拒收'}）`,
      });
    } else if (item.contractorId !== order.contractorId) reasons.push({ en: `${id}: uploaded by another contractor`, zh: `${id}：由另一作业单位上传` });
    else claims.push({ sha256: item.sha256, proofId, subjectId: orderId });
  }
  if (parsed.gps !== undefined && deps.getSegment !== undefined) {
    const segment = await deps.getSegment(actor.tenantId, order.segmentId);
    if (segment !== undefined) reasons.push(...answerGpsRefusals(parsed.gps, segment));
  }
  if (reasons.length > 0) {
    throw new RuleViolationError(
      'the answer is refused',
      reasons.map((reason) => reason.en),
      { zh: '整改回复未被接受', reasonsZh: reasons.map((reason) => reason.zh) },
    );
  }
  const now = deps.clock.now();
  const answer: RectificationAnswer = {
    evidenceIds: [...new Set(parsed.evidenceIds)],
    proofId,
    ...(parsed.gps === undefined ? {} : { gps: parsed.gps }),
    ...(parsed.capturedAt === undefined ? {} : { capturedAt: new Date(parsed.capturedAt).toISOString() }),
    at: now.toISOString(),
    by: actor.userId,
    ...(parsed.note === undefined ? {} : { note: parsed.note }),
  };
  const next = answerOrder(order, answer, now);
  await deps.orders.save({ order: next, expectedVersion: order.version }, { photoClaims: claims });
  return next;
}

export const ReviewInput = z
  .strictObject({ reason: z.string().trim().min(1).max(2000).optional() })
  .meta({ id: 'RectificationReviewInput' });
export type ReviewInput = z.input<typeof ReviewInput>;
export const ReopenInput = z
  .strictObject({ reason: z.string().trim().min(1, 'a reopening needs a reason').max(2000) })
  .meta({ id: 'RectificationReopenInput' });
export type ReopenInput = z.input<typeof ReopenInput>;

async function review(
  deps: Pick<RaiseOrderDeps, 'orders' | 'clock'>,
  actor: Actor,
  orderId: string,
  expectedVersion: number,
  change: (order: RectificationOrder, now: Date) => RectificationOrder,
): Promise<RectificationOrder> {
  authorize(actor, 'rectification:review');
  const order = await deps.orders.get(actor.tenantId, orderId);
  if (order === undefined) throw new NotFoundError('rectification order', orderId);
  authorize(actor, 'rectification:review', { tenantId: order.tenantId, contractorId: order.contractorId });
  if (order.version !== expectedVersion) throw new StaleVersionError('rectification order', orderId, expectedVersion, order.version);
  const next = change(order, deps.clock.now());
  await deps.orders.save({ order: next, expectedVersion });
  return next;
}

/** The inspector accepts the answer: closed (If-Match). */
export async function acceptRectification(deps: Pick<RaiseOrderDeps, 'orders' | 'clock'>, actor: Actor, orderId: string, expectedVersion: number, input: ReviewInput): Promise<RectificationOrder> {
  const parsed = parseInput(ReviewInput, input, '');
  return review(deps, actor, orderId, expectedVersion, (order, now) => acceptOrder(order, actor.userId, now, parsed.reason));
}

/** The inspector reopens the answer with a reason; the due time stays (If-Match). */
export async function reopenRectification(deps: Pick<RaiseOrderDeps, 'orders' | 'clock'>, actor: Actor, orderId: string, expectedVersion: number, input: ReopenInput): Promise<RectificationOrder> {
  const parsed = parseInput(ReopenInput, input, '');
  return review(deps, actor, orderId, expectedVersion, (order, now) => reopenOrder(order, actor.userId, now, parsed.reason));
}

export interface OverdueSweepResult {
  readonly examined: number;
  readonly marked: number;
  /** Orders another writer changed between read and write; the next run sees them again. */
  readonly skipped: number;
}

/** How many owing orders one run reads per tenant; more wait for the next run (every 15 min). */
export const sweepBatch = 500;

/**
 * Marks every overdue order of a tenant late, once (DESIGN §2.4, §3): the owing index gives
 * the open/reopened orders due by now with one query; each is written conditional on its
 * version, and a marked order leaves the index in the same write, so a second run finds
 * nothing to mark and a concurrent answer wins over the sweep (it is re-read next run).
 */
export async function sweepOverdue(deps: Pick<RaiseOrderDeps, 'orders' | 'clock'>, tenantId: string): Promise<OverdueSweepResult> {
  const now = deps.clock.now();
  const owing = await deps.orders.owingDueBy(tenantId, now.toISOString(), sweepBatch);
  let marked = 0;
  let skipped = 0;
  for (const order of owing) {
    if (!shouldMarkLate(order, now)) continue;
    try {
      await deps.orders.save({ order: markLate(order, now), expectedVersion: order.version });
      marked += 1;
    } catch (error) {
      if (error instanceof StaleVersionError || error instanceof ConflictError) skipped += 1;
      else throw error;
    }
  }
  return { examined: owing.length, marked, skipped };
}
