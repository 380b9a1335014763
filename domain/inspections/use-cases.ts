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
import type { ServiceType } from '../service-types';
import { parseInput } from '../validation';
import { checkInspectionEvidence, requestInspectionUpload, type InspectionEvidenceDeps, type InspectionUploadDeps, type InspectionUploadInput, type IssuedInspectionUpload } from './photos';
import type { InspectionStore, InspectionView } from './ports';
import {
  priceFindings,
  sampleScoreLine,
  scoreSample,
  totalsOf,
  unknownItemIssues,
  weatherGateFailures,
  weighDust,
  type FindingToPrice,
} from './pricing';
import { CorrectionInput, RecordInspectionInput, type CorrectionInput as CorrectionInputType, type Inspection, type PricedLine, type RecordInspectionFields, type RecordInspectionInput as RecordInput } from './schema';

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

async function zoneOf(deps: InspectionDeps, tenantId: string): Promise<string> {
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
      throw new ValidationError('the contract is for another service type', [{ path: 'serviceType', message: `contract '${contract.contractId}' is ${contract.serviceType}, not ${fields.serviceType}` }]);
    }
    return { contract, terms: termsCovering(contract, fields.segmentId, date) };
  }
  if (fields.serviceType === undefined) {
    throw new ValidationError('name the service type or the contract', [{ path: 'serviceType', message: 'required when contractId is not given' }]);
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
    throw new RuleViolationError(`no ${serviceType} contract covers segment '${fields.segmentId}' on ${date}`, [
      `no active or suspended ${serviceType} contract has segment '${fields.segmentId}' in scope on ${date}`,
    ]);
  }
  if (others.length > 0) {
    // The overlap rule forbids this; say so rather than pick one.
    throw new ConflictError(`segment '${fields.segmentId}' is held by ${covering.length} ${serviceType} contracts on ${date}: name contractId`);
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

async function buildInspection(
  deps: InspectionDeps,
  actor: Actor,
  fields: RecordInspectionFields,
  supersedes?: { inspectionId: string; reason: string; lines: readonly PricedLine[] },
): Promise<RecordedInspection> {
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
  if (fields.inspectionId === undefined && fields.findings.some((finding) => finding.evidenceIds.length > 0)) {
    // Photos are filed under the inspection id their upload allocated; without it none can be this inspection's.
    issues.push({ path: 'inspectionId', message: 'required when findings name photos: the inspectionId the uploads returned' });
  }
  const protocols = rulebook.protocols;
  if (fields.protocol?.sampleScore !== undefined && protocols.sampleScore === undefined) {
    issues.push({ path: 'protocol.sampleScore', message: "the contract's rulebook has no sample-score protocol" });
  }
  if (fields.protocol?.dustByWeight !== undefined && protocols.dustByWeight === undefined) {
    issues.push({ path: 'protocol.dustByWeight', message: "the contract's rulebook has no dust-by-weight protocol" });
  }
  const measured = fields.protocol?.sampleScore !== undefined || fields.protocol?.dustByWeight !== undefined;
  if (measured && fields.weather === undefined) issues.push({ path: 'weather', message: 'protocol results need the weather recorded at the sample' });
  if (issues.length > 0) throw new ValidationError(`${issues.length} field(s) failed validation`, issues);
  if (measured && fields.weather !== undefined) {
    const reasons = weatherGateFailures(fields.weather);
    if (reasons.length > 0) throw new RuleViolationError('the weather is outside the gates of a measured sample; inspect another day', reasons);
  }

  const sampleScore =
    fields.protocol?.sampleScore !== undefined && protocols.sampleScore !== undefined ? scoreSample(protocols.sampleScore, fields.protocol.sampleScore.ratingSets) : undefined;
  const dust = fields.protocol?.dustByWeight !== undefined && protocols.dustByWeight !== undefined ? weighDust(protocols.dustByWeight, fields.protocol.dustByWeight.readingsMgPerM2) : undefined;
  if (dust !== undefined && dust.samplesAbove > 0 && defectItem(rulebook, dust.defectCode) === undefined) {
    throw new RangeError(`the dust protocol names item '${dust.defectCode}' that its rulebook lacks; the rulebook was not validated`);
  }

  const toPrice: FindingToPrice[] = fields.findings.map((finding, index) => ({ source: 'finding', findingIndex: index, itemCode: finding.itemCode, count: finding.count }));
  if (dust !== undefined && dust.samplesAbove > 0) toPrice.push({ source: 'dustByWeight', itemCode: dust.defectCode, count: dust.samplesAbove });
  const earlier = earlierFindings(await deps.inspections.allOnSegmentMonth(tenantId, fields.segmentId, month), supersedes?.inspectionId);
  const lines = priceFindings(rulebook, toPrice, earlier);
  if (sampleScore !== undefined) lines.push(sampleScoreLine(sampleScore));

  // Photos first taken, then recorded: the uploads allocated the id (./photos).
  const inspectionId = fields.inspectionId ?? prefixedUlid('ins', deps.ids.next());
  const evidence = await checkInspectionEvidence(
    deps,
    tenantId,
    { inspectionId, contractId: contract.contractId, contractorId: contract.contractorId, ...(supersedes === undefined ? {} : { supersedes: supersedes.inspectionId }) },
    fields.findings,
  );
  if (!evidence.ok) throw new RuleViolationError(`the photos of inspection '${inspectionId}' are refused`, [...evidence.reasons]);
  const orders: RectificationOrder[] = [];
  // A correction keeps the orders the corrected inspection already issued, one per line of the
  // same item: the contractor was notified of them and may be fixing already. Only lines
  // beyond those raise new orders.
  const issued = new Map<string, string[]>();
  for (const line of supersedes?.lines ?? []) {
    if (line.itemCode !== undefined && line.orderId !== undefined) issued.set(line.itemCode, [...(issued.get(line.itemCode) ?? []), line.orderId]);
  }
  lines.forEach((line, lineIndex) => {
    const item = line.itemCode === undefined ? undefined : defectItem(rulebook, line.itemCode);
    if (item?.rectify === undefined || line.itemCode === undefined) return;
    const kept = issued.get(line.itemCode)?.shift();
    if (kept !== undefined) {
      lines[lineIndex] = { ...line, orderId: kept };
      return;
    }
    const note = line.findingIndex === undefined ? undefined : fields.findings[line.findingIndex]?.note;
    const order = buildOrder(
      {
        tenantId,
        contractId: contract.contractId,
        segmentId: fields.segmentId,
        origin: { kind: 'inspection', inspectionId, lineIndex, itemCode: line.itemCode },
        itemCode: line.itemCode,
        description: `${item.descriptionZh} x ${line.count}${note === undefined ? '' : ` — ${note}`}`,
        issuedAt: at.toISOString(),
        by: actor.userId,
      },
      { contract, terms, orderId: prefixedUlid('rec', deps.ids.next()), zone, now, defectPrice: { pointsX100: line.pointsX100, fineFen: line.fineFen } },
    );
    lines[lineIndex] = { ...line, orderId: order.orderId };
    orders.push(order);
  });

  const inspection: Inspection = {
    inspectionId,
    tenantId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    serviceType: contract.serviceType,
    termsVersion: terms.termsVersion,
    segmentId: fields.segmentId,
    at: at.toISOString(),
    localDate: date,
    month,
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
    throw new ConflictError(`inspection '${inspectionId}' was already corrected by '${old.supersededBy.supersededBy}'; correct that one instead`);
  }
  if (fields.segmentId !== old.segmentId) {
    throw new ValidationError('a correction is of the same segment', [{ path: 'segmentId', message: `inspection '${inspectionId}' is of segment '${old.segmentId}'` }]);
  }
  const { reason, ...rest } = fields;
  return buildInspection(deps, actor, rest, { inspectionId, reason, lines: old.lines });
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

