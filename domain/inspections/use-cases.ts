import * as z from 'zod';
import { requireCapturedNotInFuture } from '../proofs/capture-time';
import { ApiMonth } from '../assessment/months';
import type { ContractStore } from '../contracts/ports';
import type { Contract, ContractTerms } from '../contracts/schema';
import { defaultZone, localDate } from '../dates';
import { ConflictError, DomainError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { prefixedUlid } from '../ids';
import { authorize, isContractorScoped, type Actor } from '../policy';
import type { Clock, IdGenerator, Page } from '../ports';
import type { EvidenceStore } from '../proofs/evidence';
import { buildOrder, termsCovering } from '../rectification/use-cases';
import type { RectificationOrder } from '../rectification/schema';
import { defectItem } from '../rulebooks/rules';
import type { Rulebook } from '../rulebooks/schema';
import type { ServiceType } from '../service-types';
import { parseInput } from '../validation';
import { ChecklistQuery, checklistCategories, type InspectionChecklist } from './checklist';
import { checkInspectionEvidence, requestInspectionUpload, type InspectionEvidenceDeps, type InspectionUploadDeps, type InspectionUploadInput, type IssuedInspectionUpload } from './photos';
import type { InspectionStore, InspectionView } from './ports';
import {
  priceFindings,
  sampleScoreLine,
  scoreSample,
  totalsOf,
  unknownItemIssues,
  weatherGateFailures,
  weatherGateFailuresZh,
  weighDust,
  type FindingToPrice,
} from './pricing';
import {
  CorrectionInput,
  RecordInspectionInput,
  type CorrectionInput as CorrectionInputType,
  type DustResult,
  type Inspection,
  type InspectionPreview,
  type PreviewOrder,
  type PreviewWarning,
  type PricedLine,
  type RecordInspectionFields,
  type RecordInspectionInput as RecordInput,
  type SampleScoreResult,
  type Totals,
} from './schema';

/**
 * Inspection use cases (issue 6 "Inspections"): record (priced with the rulebook of the
 * contract version in force that tenant-local day, raising rectification orders), correct
 * (a new record that supersedes), read and list.
 */

export interface InspectionDeps extends InspectionEvidenceDeps, Omit<InspectionUploadDeps, 'inspections'> {
  readonly inspections: InspectionStore;
  readonly contracts: Pick<ContractStore, 'get' | 'listActiveByServiceType'>;
  /** Reads a recording's photos (./photos) and issues the uploads (`issue`). */
  readonly evidence: Pick<EvidenceStore, 'getMany' | 'issue'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  tenantZone?(tenantId: string): Promise<string>;
}

/** Minutes an inspection time may lie ahead of the server clock: the evidence rule's (domain/proofs/capture-time). */
export { clockSkewMinutes } from '../proofs/capture-time';

/** What recording answers: the inspection with its priced lines, and the orders it raised. */
export interface RecordedInspection {
  readonly inspection: Inspection;
  readonly orders: readonly RectificationOrder[];
}

async function zoneOf(deps: Pick<InspectionDeps, 'tenantZone'>, tenantId: string): Promise<string> {
  return deps.tenantZone === undefined ? defaultZone : deps.tenantZone(tenantId);
}

/**
 * The contract that holds the segment for the service type on `date`: the named one (checked)
 * or the one whose terms in force that day include the segment among the holding (active or
 * suspended) contracts. The overlap rule makes it unique.
 */
async function resolveContract(
  deps: Pick<InspectionDeps, 'contracts'>,
  tenantId: string,
  fields: Pick<RecordInspectionFields, 'segmentId' | 'serviceType' | 'contractId'>,
  date: string,
): Promise<{ contract: Contract; terms: ContractTerms }> {
  if (fields.contractId !== undefined) {
    const contract = await deps.contracts.get(tenantId, fields.contractId);
    if (contract === undefined) throw new NotFoundError('contract', fields.contractId);
    if (fields.serviceType !== undefined && fields.serviceType !== contract.serviceType) {
      throw new ValidationError(
        'the contract is for another service type',
        [
          {
            path: 'serviceType',
            message: `contract '${contract.contractId}' is ${contract.serviceType}, not ${fields.serviceType}`,
            zh: `合同 '${contract.contractId}' 的作业类别是 ${contract.serviceType}，不是 ${fields.serviceType}`,
          },
        ],
        { zh: '合同属于另一作业类别' },
      );
    }
    return { contract, terms: termsCovering(contract, fields.segmentId, date) };
  }
  if (fields.serviceType === undefined) {
    throw new ValidationError('name the service type or the contract', [{ path: 'serviceType', message: 'required when contractId is not given', zh: '未给出 contractId 时必填' }], {
      zh: '请写明作业类别或合同',
    });
  }
  const serviceType: ServiceType = fields.serviceType;
  const { contracts } = await deps.contracts.listActiveByServiceType(tenantId, serviceType);
  const covering: { contract: Contract; terms: ContractTerms }[] = [];
  for (const contract of contracts) {
    try {
      covering.push({ contract, terms: termsCovering(contract, fields.segmentId, date) });
    } catch (error) {
      if (!(error instanceof RuleViolationError)) throw error;
    }
  }
  const [only, ...others] = covering;
  if (only === undefined) {
    throw new RuleViolationError(
      `no ${serviceType} contract covers segment '${fields.segmentId}' on ${date}`,
      [`no active or suspended ${serviceType} contract has segment '${fields.segmentId}' in scope on ${date}`],
      {
        zh: `${date} 没有 ${serviceType} 合同覆盖路段 '${fields.segmentId}'`,
        reasonsZh: [`${date} 没有在履行或暂停中的 ${serviceType} 合同将路段 '${fields.segmentId}' 列入范围`],
      },
    );
  }
  if (others.length > 0) {
    // The overlap rule forbids this; say so rather than pick one.
    throw new ConflictError(`segment '${fields.segmentId}' is held by ${covering.length} ${serviceType} contracts on ${date}: name contractId`, {
      zh: `${date} 路段 '${fields.segmentId}' 同时属于 ${covering.length} 份 ${serviceType} 合同：请写明 contractId`,
    });
  }
  return only;
}

/** How many findings per item code the segment already has in the month (corrections excluded). */
function earlierFindings(inspections: readonly InspectionView[], excluding?: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const inspection of inspections) {
    if (inspection.supersededBy !== undefined || inspection.inspectionId === excluding) continue;
    for (const line of inspection.lines) {
      if (line.itemCode === undefined || line.source === 'sampleScore') continue;
      counts.set(line.itemCode, (counts.get(line.itemCode) ?? 0) + 1);
    }
  }
  return counts;
}

/** What pricing needs to read: no id generator, no evidence, no writes. */
type PricingDeps = Pick<InspectionDeps, 'inspections' | 'contracts' | 'clock' | 'tenantZone'>;

/**
 * Everything recording decides before it allocates an id or writes: the contract and terms in
 * force, the protocol results and the priced lines (no order linked yet). Recording,
 * correcting and previewing all call this one function, so a preview is priced exactly as
 * the inspection it shows would be.
 */
export interface PricedInspection {
  readonly tenantId: string;
  readonly zone: string;
  readonly now: Date;
  readonly at: Date;
  /** Tenant-local date and month of `at`. */
  readonly date: string;
  readonly month: string;
  readonly contract: Contract;
  readonly terms: ContractTerms;
  readonly sampleScore: SampleScoreResult | undefined;
  readonly dust: DustResult | undefined;
  readonly lines: readonly PricedLine[];
}

/**
 * Prices an inspection (issue 6; shared by record, correct and preview, issue 14): the
 * caller authorized, `at` not in the future, the contract resolved on the tenant-local day,
 * item codes and protocols checked against its rulebook (400 naming each field), the weather
 * gates (422), the findings priced with the repeat factor of their ordinal among the
 * segment's findings already recorded that month (`supersedes`: the corrected inspection,
 * which no longer counts). `photos: 'skip'` (preview) leaves out the one check about photos
 * made here — that findings naming photos name the inspectionId of their uploads; the photos
 * themselves are checked by the caller that records (./photos).
 */
async function priceInspection(
  deps: PricingDeps,
  actor: Actor,
  fields: RecordInspectionFields,
  options: { readonly photos: 'check' | 'skip'; readonly supersedes?: string },
): Promise<PricedInspection> {
  authorize(actor, 'inspection:write');
  const tenantId = actor.tenantId;
  const zone = await zoneOf(deps, tenantId);
  const now = deps.clock.now();
  const at = new Date(fields.at);
  // The inspection's time is its photos' capture time: the one evidence rule (domain/proofs/capture-time).
  requireCapturedNotInFuture(at, now, 'body.at', zone);
  const date = localDate(at, zone);
  const month = date.slice(0, 7);
  const { contract, terms } = await resolveContract(deps, tenantId, fields, date);
  authorize(actor, 'inspection:write', { tenantId, contractorId: contract.contractorId });
  const rulebook = terms.rulebook;

  const issues = unknownItemIssues(rulebook, fields.findings);
  if (options.photos === 'check' && fields.inspectionId === undefined && fields.findings.some((finding) => finding.evidenceIds.length > 0)) {
    // Photos are filed under the inspection id their upload allocated; without it none can be this inspection's.
    issues.push(inspectionIdIssue);
  }
  const protocols = rulebook.protocols;
  if (fields.protocol?.sampleScore !== undefined && protocols.sampleScore === undefined) {
    issues.push({ path: 'protocol.sampleScore', message: "the contract's rulebook has no sample-score protocol", zh: '合同的考核办法没有感官评分（样本打分）规程' });
  }
  if (fields.protocol?.dustByWeight !== undefined && protocols.dustByWeight === undefined) {
    issues.push({ path: 'protocol.dustByWeight', message: "the contract's rulebook has no dust-by-weight protocol", zh: '合同的考核办法没有以克论净规程' });
  }
  const measured = fields.protocol?.sampleScore !== undefined || fields.protocol?.dustByWeight !== undefined;
  if (measured && fields.weather === undefined) issues.push({ path: 'weather', message: 'protocol results need the weather recorded at the sample', zh: '规程检测结果须记录采样时的天气' });
  if (issues.length > 0) throw new ValidationError(`${issues.length} field(s) failed validation`, issues, { zh: `${issues.length} 个字段未通过校验` });
  if (measured && fields.weather !== undefined) {
    const failures = weatherGateFailures(fields.weather);
    if (failures.length > 0) {
      throw new RuleViolationError('the weather is outside the gates of a measured sample; inspect another day', failures, {
        zh: '天气不符合检测采样条件；请改日检查',
        reasonsZh: weatherGateFailuresZh(fields.weather),
      });
    }
  }

  const sampleScore =
    fields.protocol?.sampleScore !== undefined && protocols.sampleScore !== undefined ? scoreSample(protocols.sampleScore, fields.protocol.sampleScore.ratingSets) : undefined;
  const dust = fields.protocol?.dustByWeight !== undefined && protocols.dustByWeight !== undefined ? weighDust(protocols.dustByWeight, fields.protocol.dustByWeight.readingsMgPerM2) : undefined;
  if (dust !== undefined && dust.samplesAbove > 0 && defectItem(rulebook, dust.defectCode) === undefined) {
    throw new RangeError(`the dust protocol names item '${dust.defectCode}' that its rulebook lacks; the rulebook was not validated`);
  }

  const toPrice: FindingToPrice[] = fields.findings.map((finding, index) => ({ source: 'finding', findingIndex: index, itemCode: finding.itemCode, count: finding.count }));
  if (dust !== undefined && dust.samplesAbove > 0) toPrice.push({ source: 'dustByWeight', itemCode: dust.defectCode, count: dust.samplesAbove });
  const earlier = earlierFindings(await deps.inspections.allOnSegmentMonth(tenantId, fields.segmentId, month), options.supersedes);
  const lines = priceFindings(rulebook, toPrice, earlier);
  if (sampleScore !== undefined) lines.push(sampleScoreLine(sampleScore));
  return { tenantId, zone, now, at, date, month, contract, terms, sampleScore, dust, lines };
}

const inspectionIdIssue = {
  path: 'inspectionId',
  message: 'required when findings name photos: the inspectionId the uploads returned',
  zh: '检查问题附有照片时必填：上传照片时返回的 inspectionId',
} as const;

/** One line's order: linked to one a corrected inspection already issued, or raised anew. */
type LineOrder = { readonly lineIndex: number; readonly kept: string } | { readonly lineIndex: number; readonly order: RectificationOrder };

/**
 * The orders the priced lines raise: one per line whose item has `rectify`, built by the
 * rectification rule (buildOrder: due time, late penalty), in line order. `issued`: orders a
 * corrected inspection already issued, per item code, which lines of the same item link
 * instead of raising again. `orderId` is asked only for a new order.
 */
function ordersOf(
  priced: PricedInspection,
  fields: RecordInspectionFields,
  actor: Actor,
  inspectionId: string,
  orderId: () => string,
  issued: ReadonlyMap<string, readonly string[]> = new Map(),
): LineOrder[] {
  const { contract, terms, zone, now } = priced;
  const left = new Map([...issued].map(([code, ids]) => [code, [...ids]]));
  const result: LineOrder[] = [];
  priced.lines.forEach((line, lineIndex) => {
    const item = line.itemCode === undefined ? undefined : defectItem(terms.rulebook, line.itemCode);
    if (item?.rectify === undefined || line.itemCode === undefined) return;
    const kept = left.get(line.itemCode)?.shift();
    if (kept !== undefined) {
      result.push({ lineIndex, kept });
      return;
    }
    const note = line.findingIndex === undefined ? undefined : fields.findings[line.findingIndex]?.note;
    const order = buildOrder(
      {
        tenantId: priced.tenantId,
        contractId: contract.contractId,
        segmentId: fields.segmentId,
        origin: { kind: 'inspection', inspectionId, lineIndex, itemCode: line.itemCode },
        itemCode: line.itemCode,
        description: `${item.descriptionZh} x ${line.count}${note === undefined ? '' : ` — ${note}`}`,
        issuedAt: priced.at.toISOString(),
        by: actor.userId,
      },
      { contract, terms, orderId: orderId(), zone, now, defectPrice: { pointsX100: line.pointsX100, fineFen: line.fineFen } },
    );
    result.push({ lineIndex, order });
  });
  return result;
}

async function buildInspection(
  deps: InspectionDeps,
  actor: Actor,
  fields: RecordInspectionFields,
  supersedes?: { inspectionId: string; reason: string; lines: readonly PricedLine[] },
): Promise<RecordedInspection> {
  const priced = await priceInspection(deps, actor, fields, { photos: 'check', ...(supersedes === undefined ? {} : { supersedes: supersedes.inspectionId }) });
  const { tenantId, contract, terms, now, at, sampleScore, dust } = priced;

  // Photos first taken, then recorded: the uploads allocated the id (./photos).
  const inspectionId = fields.inspectionId ?? prefixedUlid('ins', deps.ids.next());
  const evidence = await checkInspectionEvidence(
    deps,
    tenantId,
    { inspectionId, contractId: contract.contractId, contractorId: contract.contractorId, ...(supersedes === undefined ? {} : { supersedes: supersedes.inspectionId }) },
    fields.findings,
  );
  if (!evidence.ok) throw new RuleViolationError(`the photos of inspection '${inspectionId}' are refused`, [...evidence.reasons], { zh: `检查记录 '${inspectionId}' 的照片被拒绝` });
  // A correction keeps the orders the corrected inspection already issued, one per line of the
  // same item: the contractor was notified of them and may be fixing already. Only lines
  // beyond those raise new orders.
  const issued = new Map<string, string[]>();
  for (const line of supersedes?.lines ?? []) {
    if (line.itemCode !== undefined && line.orderId !== undefined) issued.set(line.itemCode, [...(issued.get(line.itemCode) ?? []), line.orderId]);
  }
  const lines = [...priced.lines];
  const orders: RectificationOrder[] = [];
  for (const raised of ordersOf(priced, fields, actor, inspectionId, () => prefixedUlid('rec', deps.ids.next()), issued)) {
    const line = lines[raised.lineIndex]!;
    if ('kept' in raised) {
      lines[raised.lineIndex] = { ...line, orderId: raised.kept };
    } else {
      lines[raised.lineIndex] = { ...line, orderId: raised.order.orderId };
      orders.push(raised.order);
    }
  }

  const inspection: Inspection = {
    inspectionId,
    tenantId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    serviceType: contract.serviceType,
    termsVersion: terms.termsVersion,
    segmentId: fields.segmentId,
    at: at.toISOString(),
    localDate: priced.date,
    month: priced.month,
    kind: fields.kind,
    ...(fields.gps === undefined ? {} : { gps: fields.gps }),
    inspectorIds: [...new Set([actor.userId, ...fields.inspectorIds])],
    findings: fields.findings,
    ...(fields.protocol === undefined ? {} : { protocol: fields.protocol }),
    ...(fields.weather === undefined ? {} : { weather: fields.weather }),
    ...(fields.note === undefined ? {} : { note: fields.note }),
    ...(sampleScore === undefined ? {} : { sampleScore }),
    ...(dust === undefined ? {} : { dust }),
    lines,
    totals: totalsOf(lines),
    orderIds: orders.map((order) => order.orderId),
    ...(supersedes === undefined ? {} : { supersedes: { inspectionId: supersedes.inspectionId, reason: supersedes.reason } }),
    recordedAt: now.toISOString(),
    recordedBy: actor.userId,
    version: 1,
  };
  await deps.inspections.record(inspection, orders, evidence.claims);
  return { inspection, orders };
}

/**
 * Records an inspection (inspector): contract resolved, findings priced (count x item, with
 * the repeat factor), protocol results scored behind the weather gates, orders raised for
 * items with `rectify`, the findings' photos checked (./photos: uploaded for this
 * `inspectionId`, valid, used by no other record → else 422 naming each) and claimed, all in
 * one write. Unknown item codes → 400 at `findings.N.itemCode`.
 */
export async function recordInspection(deps: InspectionDeps, actor: Actor, input: RecordInput): Promise<RecordedInspection> {
  return buildInspection(deps, actor, parseInput(RecordInspectionInput, input, ''));
}

/**
 * Corrects an inspection: a new, complete inspection that supersedes it with a reason (the
 * old record is never rewritten). A second correction of the same inspection is a 409; to
 * correct again, correct the correction. Orders the old inspection raised stay and are linked
 * from the correction's lines of the same item; only extra lines raise new orders.
 */
export async function correctInspection(deps: InspectionDeps, actor: Actor, inspectionId: string, input: CorrectionInputType): Promise<RecordedInspection> {
  authorize(actor, 'inspection:write');
  const fields = parseInput(CorrectionInput, input, '');
  const old = await deps.inspections.get(actor.tenantId, inspectionId);
  if (old === undefined) throw new NotFoundError('inspection', inspectionId);
  if (old.supersededBy !== undefined) {
    throw new ConflictError(`inspection '${inspectionId}' was already corrected by '${old.supersededBy.supersededBy}'; correct that one instead`, {
      zh: `检查记录 '${inspectionId}' 已被 '${old.supersededBy.supersededBy}' 更正；请改为更正那一条`,
    });
  }
  if (fields.segmentId !== old.segmentId) {
    throw new ValidationError('a correction is of the same segment', [{ path: 'segmentId', message: `inspection '${inspectionId}' is of segment '${old.segmentId}'`, zh: `检查记录 '${inspectionId}' 属于路段 '${old.segmentId}'` }], {
      zh: '更正须针对同一路段',
    });
  }
  const { reason, ...rest } = fields;
  return buildInspection(deps, actor, rest, { inspectionId, reason, lines: old.lines });
}

/** A preview allocates no id: the orders it builds carry this, and the answer shows none. */
const notAllocated = '';

/** What previewing reads: what pricing reads, and the given inspectionId's record (a warning). */
export type PreviewDeps = PricingDeps;

/**
 * `POST /v1/inspections/preview` (inspector, issue 14): the body of `POST /v1/inspections`,
 * priced by the same function as recording (`priceInspection`: contract and rulebook in
 * force, ordinals and repeat factors from the findings already stored this month) and the
 * orders it would raise built by the same rule (`ordersOf`: buildOrder's due time and late
 * penalty) — but NOTHING is written and no id is allocated (no inspection, order, photo
 * claim or audit entry). Refusals are recording's (400 naming the field, 403, 404, 409, 422),
 * except the photo checks, which a preview skips and says so: a photo still being processed
 * does not keep the app from showing the score and money effect.
 */
export async function previewInspection(deps: PreviewDeps, actor: Actor, input: RecordInput): Promise<InspectionPreview> {
  const fields = parseInput(RecordInspectionInput, input, '');
  const priced = await priceInspection(deps, actor, fields, { photos: 'skip' });
  const { contract, terms, lines } = priced;
  const orders = ordersOf(priced, fields, actor, notAllocated, () => notAllocated).flatMap((raised): PreviewOrder[] => {
    if (!('order' in raised)) return [];
    const { order } = raised;
    return [
      {
        lineIndex: raised.lineIndex,
        itemCode: order.itemCode ?? '',
        mode: order.mode ?? 'deduct',
        description: order.description,
        issuedAt: order.issuedAt,
        dueAt: order.dueAt,
        latePenalty: order.latePenalty,
      },
    ];
  });
  const totals = totalsOf(lines);
  const photos = new Set(fields.findings.flatMap((finding) => finding.evidenceIds)).size;
  const recorded = fields.inspectionId === undefined ? undefined : await deps.inspections.get(priced.tenantId, fields.inspectionId);
  return {
    contract: {
      contractId: contract.contractId,
      contractorId: contract.contractorId,
      title: contract.title,
      status: contract.status,
      serviceType: contract.serviceType,
      termsVersion: terms.termsVersion,
    },
    segmentId: fields.segmentId,
    at: priced.at.toISOString(),
    localDate: priced.date,
    month: priced.month,
    kind: fields.kind,
    ...(priced.sampleScore === undefined ? {} : { sampleScore: priced.sampleScore }),
    ...(priced.dust === undefined ? {} : { dust: priced.dust }),
    lines: [...lines],
    totals,
    orders,
    photos: { checked: false, named: photos },
    warnings: previewWarnings({ fields, contract, rulebook: terms.rulebook, lines, totals, photos, recorded: recorded !== undefined }),
  };
}

function previewWarnings(facts: {
  readonly fields: RecordInspectionFields;
  readonly contract: Contract;
  readonly rulebook: Pick<Rulebook, 'defectItems' | 'categoryCaps'>;
  readonly lines: readonly PricedLine[];
  readonly totals: Totals;
  readonly photos: number;
  readonly recorded: boolean;
}): PreviewWarning[] {
  const { fields, contract, rulebook, lines, totals, photos } = facts;
  const warnings: PreviewWarning[] = [];
  if (photos > 0) {
    warnings.push({
      code: 'photos-not-checked',
      message: `${photos} photo(s) named by the findings were not checked: recording checks that each was uploaded for this inspection, is processed and valid, and is used by no other record`,
      zh: `检查问题附有 ${photos} 张照片，预览未校验：保存时将校验每张照片均为本次检查上传、已处理、有效且未被其他记录使用`,
    });
    if (fields.inspectionId === undefined) {
      warnings.push({ code: 'inspection-id-missing', message: `recording will refuse the photos without ${inspectionIdIssue.path}: ${inspectionIdIssue.message}`, zh: `未给出 inspectionId，保存时照片将被拒绝：${inspectionIdIssue.zh}` });
    }
  }
  if (facts.recorded && fields.inspectionId !== undefined) {
    warnings.push({
      code: 'inspection-recorded',
      message: `inspection '${fields.inspectionId}' is recorded already: recording it again is refused (409); correct it instead`,
      zh: `检查记录 '${fields.inspectionId}' 已保存：再次保存将被拒绝（409）；如需修改请提交更正`,
    });
  }
  if (contract.status === 'suspended') {
    warnings.push({ code: 'contract-suspended', message: `contract '${contract.contractId}' is suspended`, zh: `合同 '${contract.contractId}' 已暂停` });
  }
  if (totals.provisionalPointsX100 > 0 || totals.provisionalFineFen > 0) {
    warnings.push({
      code: 'provisional',
      message: `${points(totals.provisionalPointsX100)} points and ${yuan(totals.provisionalFineFen)} yuan are waived if their orders close in time (waive_if_rectified)`,
      zh: `其中 ${points(totals.provisionalPointsX100)} 分、${yuan(totals.provisionalFineFen)} 元在按期整改后免扣（waive_if_rectified）`,
    });
  }
  const categories = new Set(lines.flatMap((line) => (line.itemCode === undefined ? [] : [defectItem(rulebook, line.itemCode)?.category ?? ''])));
  for (const cap of rulebook.categoryCaps) {
    if (!categories.has(cap.category)) continue;
    warnings.push({
      code: 'category-cap',
      message: `category '${cap.category}' takes at most ${points(cap.capX100)} points from a contract-month: the month's score counts these lines up to that cap`,
      zh: `类别 '${cap.category}' 每份合同每月最多扣 ${points(cap.capX100)} 分：月度得分按此上限计入`,
    });
  }
  return warnings;
}

/** 250 → "2.50". */
function points(x100: number): string {
  return `${Math.trunc(x100 / 100)}.${String(x100 % 100).padStart(2, '0')}`;
}

/** 20000 fen → "200.00". */
function yuan(fen: number): string {
  return points(fen);
}

/**
 * `GET /v1/inspections/checklist` (issue 14): the defect items of the rulebook in force for
 * the segment at `at` (default now), grouped by category in the rulebook's order (./checklist),
 * with the contract resolved as recording resolves it. Reading a contract's rulebook is
 * `contract:read`: a contractor user sees only its own contract's checklist.
 */
export async function inspectionChecklist(deps: Pick<InspectionDeps, 'contracts' | 'clock' | 'tenantZone'>, actor: Actor, query: ChecklistQuery): Promise<InspectionChecklist> {
  authorize(actor, 'contract:read');
  const parsed = parseInput(ChecklistQuery, query, 'query');
  const tenantId = actor.tenantId;
  const zone = await zoneOf(deps, tenantId);
  const at = parsed.at === undefined ? deps.clock.now() : new Date(parsed.at);
  const date = localDate(at, zone);
  const { contract, terms } = await resolveContract(deps, tenantId, parsed, date);
  authorize(actor, 'contract:read', { tenantId, contractorId: contract.contractorId });
  const rulebook = terms.rulebook;
  return {
    segmentId: parsed.segmentId,
    at: at.toISOString(),
    localDate: date,
    contract: {
      contractId: contract.contractId,
      title: contract.title,
      contractorId: contract.contractorId,
      status: contract.status,
      serviceType: contract.serviceType,
      termsVersion: terms.termsVersion,
    },
    rulebook: { name: rulebook.name, version: rulebook.version, ...(rulebook.basedOn === undefined ? {} : { templateId: rulebook.basedOn.templateId }) },
    protocols: { sampleScore: rulebook.protocols.sampleScore !== undefined, dustByWeight: rulebook.protocols.dustByWeight !== undefined },
    categories: checklistCategories(rulebook),
  };
}

/**
 * `POST /v1/inspections/uploads` (inspector): a photo upload for the inspection being
 * prepared, its contract resolved as recording resolves it, on today's tenant-local date
 * (./photos `requestInspectionUpload`).
 */
export async function requestInspectionPhotoUpload(deps: InspectionDeps, actor: Actor, input: InspectionUploadInput): Promise<IssuedInspectionUpload> {
  return requestInspectionUpload(deps, (tenantId, fields, date) => resolveContract(deps, tenantId, fields, date), actor, input);
}

export async function getInspection(deps: Pick<InspectionDeps, 'inspections'>, actor: Actor, inspectionId: string): Promise<InspectionView> {
  authorize(actor, 'inspection:read');
  const inspection = await deps.inspections.get(actor.tenantId, inspectionId);
  if (inspection === undefined) throw new NotFoundError('inspection', inspectionId);
  try {
    authorize(actor, 'inspection:read', { tenantId: inspection.tenantId, contractorId: inspection.contractorId });
  } catch (error) {
    // Another contractor's inspection is as absent as a made-up id.
    if (error instanceof DomainError) throw new NotFoundError('inspection', inspectionId, { cause: error });
    throw error;
  }
  return inspection;
}

export const InspectionListQuery = z
  .object({
    contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id').optional(),
    segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id').optional(),
    month: ApiMonth,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .refine((query) => (query.contractId === undefined) !== (query.segmentId === undefined), { message: 'give exactly one of contractId or segmentId', path: ['contractId'] });
export type InspectionListQuery = z.input<typeof InspectionListQuery>;

/**
 * Inspections of a contract or of a segment in a tenant-local month, by inspection time.
 * Contractor users: their own contracts only (a segment listing shows only theirs).
 */
export async function listInspections(deps: Pick<InspectionDeps, 'inspections' | 'contracts'>, actor: Actor, query: InspectionListQuery): Promise<Page<InspectionView>> {
  authorize(actor, 'inspection:read');
  const parsed = parseInput(InspectionListQuery, query, 'query');
  const page = { limit: parsed.limit, ...(parsed.cursor === undefined ? {} : { cursor: parsed.cursor }) };
  if (parsed.contractId !== undefined) {
    const contract = await deps.contracts.get(actor.tenantId, parsed.contractId);
    if (contract === undefined) throw new NotFoundError('contract', parsed.contractId);
    authorize(actor, 'inspection:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
    return deps.inspections.listByContractMonth(actor.tenantId, parsed.contractId, parsed.month, page);
  }
  // A segment's inspections span contractors: the store filters them for a contractor-scoped
  // caller, so neither the rows nor the cursor (the last row returned) show another's.
  if (!isContractorScoped(actor)) return deps.inspections.listBySegmentMonth(actor.tenantId, parsed.segmentId ?? '', parsed.month, page);
  if (actor.contractorId === undefined) return { items: [] };
  return deps.inspections.listBySegmentMonth(actor.tenantId, parsed.segmentId ?? '', parsed.month, page, { contractorId: actor.contractorId });
}

