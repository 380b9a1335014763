import type { Contract } from '../contracts/schema';
import { termsAsOf } from '../contracts/terms';
import { defaultZone, localDate } from '../dates';
import { NotFoundError, RuleViolationError, StaleVersionError } from '../errors';
import { authorize, seesContractor, type Actor } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest } from '../ports';
import { evidenceFailures, geofenceLimitM, maxAccuracyCreditM, maxAccuracyM, type EvidenceCheckItem } from '../proofs/checks';
import { requireCapturedNotInFuture } from '../proofs/capture-time';
import { distanceToGeometryM } from '../proofs/distance';
import type { Evidence, EvidenceStore } from '../proofs/evidence';
import { UploadInput, type IssuedUpload, type UploadSubject } from '../proofs/use-cases';
import type { Segment } from '../segments/schema';
import { parseInput } from '../validation';
import type { WorkOrderStore } from './ports';
import {
  AcceptWorkOrderInput,
  CompleteWorkOrderInput,
  CreateWorkOrderInput,
  RejectWorkOrderInput,
  WorkOrderFilter,
  type WorkOrder,
} from './schema';
import { acceptWorkOrder, completeWorkOrder, newWorkOrder, rejectWorkOrder, workOrderIdFrom, workOrderLine, type WorkOrderLine } from './work-order';

/** What the work order use cases need from outside. */
export interface WorkOrderDeps {
  readonly workOrders: WorkOrderStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  getContract(tenantId: string, contractId: string): Promise<Contract | undefined>;
  getSegment(tenantId: string, segmentId: string): Promise<Segment | undefined>;
  readonly evidence: Pick<EvidenceStore, 'getMany'>;
  /** sha-256 → the proof (or order) already holding that photo, for the claimed hashes. */
  findClaims(tenantId: string, hashes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * The evidence machinery's upload issue (domain/proofs use cases `issueUpload`) for a work
   * order subject: an `awaiting_upload` evidence item and a presigned POST.
   */
  issueUpload?(actor: Actor, subject: UploadSubject, contentType: string): Promise<IssuedUpload>;
  /** The tenant's IANA zone; Asia/Shanghai when not wired. */
  tenantZone?(tenantId: string): Promise<string>;
}

async function zoneOf(deps: Pick<WorkOrderDeps, 'tenantZone'>, tenantId: string): Promise<string> {
  return deps.tenantZone === undefined ? defaultZone : deps.tenantZone(tenantId);
}

/**
 * A contractor user probing another contractor's records learns nothing: it gets the 404 of
 * a made-up id, not a 403 that would confirm the id exists.
 */
function hiddenFrom(actor: Actor, contractorId: string): boolean {
  return !seesContractor(actor, contractorId);
}

async function requireContract(deps: WorkOrderDeps, actor: Actor, contractId: string): Promise<Contract> {
  const contract = await deps.getContract(actor.tenantId, contractId);
  if (contract === undefined || hiddenFrom(actor, contract.contractorId)) throw new NotFoundError('contract', contractId);
  return contract;
}

async function requireOrder(deps: WorkOrderDeps, actor: Actor, workOrderId: string): Promise<WorkOrder> {
  const order = await deps.workOrders.get(actor.tenantId, workOrderId);
  if (order === undefined || hiddenFrom(actor, order.contractorId)) throw new NotFoundError('work order', workOrderId);
  return order;
}

/**
 * The If-Match check before any rule: a stale screen learns it is stale (412) before being
 * told the order moved on (409/422), which is what it would see after reloading anyway.
 */
function requireVersion(order: WorkOrder, expectedVersion: number): void {
  if (order.version !== expectedVersion) throw new StaleVersionError('work order', order.workOrderId, expectedVersion, order.version);
}

const ownership = (order: Pick<WorkOrder, 'tenantId' | 'contractorId'>): { tenantId: string; contractorId: string } => ({
  tenantId: order.tenantId,
  contractorId: order.contractorId,
});

/** `POST /v1/contracts/{contractId}/work-orders` (inspector or procurement). */
export async function createWorkOrder(deps: WorkOrderDeps, actor: Actor, contractId: string, input: unknown): Promise<WorkOrder> {
  authorize(actor, 'workorder:create');
  const fields = parseInput(CreateWorkOrderInput, input, '');
  const contract = await requireContract(deps, actor, contractId);
  const now = deps.clock.now();
  const today = localDate(now, await zoneOf(deps, actor.tenantId));
  const order = newWorkOrder(contract, fields, {
    tenantId: actor.tenantId,
    workOrderId: workOrderIdFrom(deps.ids.next()),
    today,
    terms: termsAsOf(contract, today),
    at: now,
    by: actor.userId,
  });
  await deps.workOrders.create(order);
  return order;
}

export async function getWorkOrder(deps: WorkOrderDeps, actor: Actor, workOrderId: string): Promise<WorkOrder> {
  authorize(actor, 'workorder:read');
  const order = await requireOrder(deps, actor, workOrderId);
  authorize(actor, 'workorder:read', ownership(order));
  return order;
}

/** `GET /v1/contracts/{contractId}/work-orders?status=&month=`: one page, oldest first. */
export async function listWorkOrders(deps: WorkOrderDeps, actor: Actor, contractId: string, filter: unknown, page: PageRequest): Promise<Page<WorkOrder>> {
  authorize(actor, 'workorder:read');
  const parsed = parseInput(WorkOrderFilter, filter, 'query');
  const contract = await requireContract(deps, actor, contractId);
  authorize(actor, 'workorder:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  return deps.workOrders.list(actor.tenantId, contractId, parsed, page);
}

/**
 * The priced lines of a contract's orders accepted in `month` (the statement's `unitRate`,
 * DESIGN §3), in order id order so a recomputation lists them alike.
 */
export async function workOrderLinesOf(deps: Pick<WorkOrderDeps, 'workOrders'>, tenantId: string, contractId: string, month: string): Promise<WorkOrderLine[]> {
  const orders = await deps.workOrders.all(tenantId, contractId, { status: 'accepted', month });
  return orders
    .map(workOrderLine)
    .filter((line): line is WorkOrderLine => line !== undefined)
    .sort((a, b) => (a.workOrderId < b.workOrderId ? -1 : a.workOrderId > b.workOrderId ? 1 : 0));
}

/** `POST /v1/work-orders/{id}/uploads` (contractor, own open orders): one photo slot, via the proofs' `issueUpload`. */
export async function requestWorkOrderUpload(deps: WorkOrderDeps, actor: Actor, workOrderId: string, input: unknown): Promise<IssuedUpload> {
  authorize(actor, 'workorder:complete');
  const { contentType } = parseInput(UploadInput, input, '');
  const order = await requireOrder(deps, actor, workOrderId);
  authorize(actor, 'workorder:complete', ownership(order));
  if (order.status !== 'open') {
    throw new RuleViolationError(`work order '${workOrderId}' takes no more photos`, [`the order is ${order.status}; photos are uploaded before completion`], {
      zh: `工单 '${workOrderId}' 不再接受照片`,
      reasonsZh: [`工单${workOrderStatusZh[order.status]}；照片须在完工前上传`],
    });
  }
  if (deps.issueUpload === undefined) throw new Error('the evidence upload machinery is not wired');
  // Photos file under the order's creation date (key level 3), one folder per order.
  const createdOn = localDate(new Date(order.createdAt), await zoneOf(deps, actor.tenantId));
  const subject: UploadSubject = { kind: 'work_order', id: order.workOrderId, contractId: order.contractId, contractorId: order.contractorId, localDate: createdOn };
  return deps.issueUpload(actor, subject, contentType);
}

function checkItem(evidence: Evidence): EvidenceCheckItem {
  return {
    evidenceId: evidence.evidenceId,
    status: evidence.status === 'valid' ? 'valid' : 'refused',
    contractorId: evidence.contractorId,
    subjectId: evidence.subject.id,
    sha256: evidence.sha256 ?? '',
  };
}

/**
 * `POST /v1/work-orders/{id}/completion` (contractor; If-Match). The photo checks are the
 * proofs' own (`evidenceFailures`: uploaded, valid, this contractor's, this order's, never
 * used by another proof) and the GPS must lie within the segment's geofence (DESIGN §3:
 * max(50 m, width / 2 + 30 m), a fix coarser than 100 m refused, accuracy credited up to
 * 30 m). Any failure is a 422 listing every reason; success claims the photos in the same
 * transaction as the completion.
 */
export async function completeWorkOrderUseCase(deps: WorkOrderDeps, actor: Actor, workOrderId: string, expectedVersion: number, input: unknown): Promise<WorkOrder> {
  authorize(actor, 'workorder:complete');
  const fields = parseInput(CompleteWorkOrderInput, input, '');
  const order = await requireOrder(deps, actor, workOrderId);
  authorize(actor, 'workorder:complete', ownership(order));
  requireVersion(order, expectedVersion);
  requireCapturedNotInFuture(new Date(fields.capturedAt), deps.clock.now(), 'body.capturedAt', await zoneOf(deps, actor.tenantId));
  if (order.status !== 'open') {
    throw new RuleViolationError(`work order '${workOrderId}' cannot be completed`, [`the order is ${order.status}, not open`], {
      zh: `工单 '${workOrderId}' 不能完工`,
      reasonsZh: [`工单${workOrderStatusZh[order.status]}，不是待完成`],
    });
  }
  const ids = [...new Set(fields.evidenceIds)];
  const found = await deps.evidence.getMany(actor.tenantId, workOrderId, ids);
  const foundIds = new Set(found.map((item) => item.evidenceId));
  const valid = found.filter((item) => item.status === 'valid' && item.sha256 !== undefined);
  const hashes = [...new Set(valid.map((item) => item.sha256!))];
  const claims = await deps.findClaims(actor.tenantId, hashes);
  // A claim this order holds already is its own (an earlier attempt), not a reuse.
  const usedHashes = new Map([...claims].filter(([, proofId]) => proofId !== workOrderId));
  const failures: Failure[] = evidenceFailures({
    subject: { kind: 'work_order', id: workOrderId },
    contractorId: order.contractorId,
    evidence: found.filter((item) => item.status !== 'awaiting_upload').map(checkItem),
    missingEvidenceIds: ids.filter((id) => !foundIds.has(id) || found.find((item) => item.evidenceId === id)?.status === 'awaiting_upload'),
    usedHashes,
  }).map((failure) => ({ en: failure.message, ...(failure.zh === undefined ? {} : { zh: failure.zh }) }));
  failures.push(...(await gpsFailures(deps, order, fields.gps)));
  if (failures.length > 0) {
    throw new RuleViolationError(`the completion of work order '${workOrderId}' is refused`, failures.map((failure) => failure.en), {
      zh: `工单 '${workOrderId}' 的完工未被接受`,
      reasonsZh: failures.map((failure) => failure.zh),
    });
  }

  const now = deps.clock.now();
  const completed = completeWorkOrder(order, {
    evidenceIds: ids,
    photoHashes: hashes,
    capturedAt: new Date(fields.capturedAt).toISOString(),
    gps: fields.gps,
    measuredQuantityMilli: fields.measuredQuantityMilli,
    ...(fields.note === undefined ? {} : { note: fields.note }),
    completedAt: now.toISOString(),
    completedBy: actor.userId,
  });
  await deps.workOrders.save(
    completed,
    expectedVersion,
    hashes.map((sha256) => ({ sha256, proofId: workOrderId, subjectId: workOrderId })),
  );
  return completed;
}

/** A reason a completion is refused, in English and (where written) Chinese. */
interface Failure {
  readonly en: string;
  readonly zh?: string;
}

/** A work order's status as a Chinese sentence part ("工单已验收"). */
const workOrderStatusZh: Readonly<Record<WorkOrder['status'], string>> = { open: '待完成', completed: '已完工', accepted: '已验收', rejected: '已退回' };

async function gpsFailures(deps: WorkOrderDeps, order: WorkOrder, gps: { lon: number; lat: number; accuracyM: number }): Promise<Failure[]> {
  if (gps.accuracyM > maxAccuracyM) return [{ en: `GPS fix too coarse: ${gps.accuracyM} m, at most ${maxAccuracyM} m`, zh: `GPS 定位精度过低：${gps.accuracyM} 米，最多 ${maxAccuracyM} 米` }];
  const segment = await deps.getSegment(order.tenantId, order.location.segmentId);
  if (segment === undefined) return [{ en: `segment '${order.location.segmentId}' no longer exists`, zh: `路段 '${order.location.segmentId}' 已不存在` }];
  const distanceM = distanceToGeometryM(gps, segment.geometry);
  const limitM = geofenceLimitM(segment.widthM);
  const credit = Math.min(gps.accuracyM, maxAccuracyCreditM);
  if (Math.round((distanceM - credit) * 100) > Math.round(limitM * 100)) {
    return [
      {
        en: `GPS point is ${Math.round(distanceM)} m from ${segment.name}, limit ${limitM} m (+${credit} m accuracy credit)`,
        zh: `GPS 位置距 ${segment.name} ${Math.round(distanceM)} 米，限 ${limitM} 米（另计定位精度 ${credit} 米）`,
      },
    ];
  }
  return [];
}

/** `POST /v1/work-orders/{id}/acceptance` (inspector; If-Match). */
export async function acceptWorkOrderUseCase(deps: WorkOrderDeps, actor: Actor, workOrderId: string, expectedVersion: number, input: unknown): Promise<WorkOrder> {
  authorize(actor, 'workorder:accept');
  const fields = parseInput(AcceptWorkOrderInput, input, '');
  const order = await requireOrder(deps, actor, workOrderId);
  authorize(actor, 'workorder:accept', ownership(order));
  requireVersion(order, expectedVersion);
  const now = deps.clock.now();
  const month = localDate(now, await zoneOf(deps, actor.tenantId)).slice(0, 7);
  const accepted = acceptWorkOrder(order, fields.acceptedQuantityMilli, fields.reason, { at: now, by: actor.userId, month });
  await deps.workOrders.save(accepted, expectedVersion);
  return accepted;
}

/** `POST /v1/work-orders/{id}/rejection` (inspector; If-Match). */
export async function rejectWorkOrderUseCase(deps: WorkOrderDeps, actor: Actor, workOrderId: string, expectedVersion: number, input: unknown): Promise<WorkOrder> {
  authorize(actor, 'workorder:accept');
  const fields = parseInput(RejectWorkOrderInput, input, '');
  const order = await requireOrder(deps, actor, workOrderId);
  authorize(actor, 'workorder:accept', ownership(order));
  requireVersion(order, expectedVersion);
  const rejected = rejectWorkOrder(order, fields.reason, { at: deps.clock.now(), by: actor.userId });
  await deps.workOrders.save(rejected, expectedVersion);
  return rejected;
}
