import type { ContractorStore } from '../contractors/ports';
import { contractIdFrom } from '../contracts/contract';
import type { ContractStore, ContractWrite } from '../contracts/ports';
import type { Contract } from '../contracts/schema';
import { createContract, type ContractDeps } from '../contracts/use-cases';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError, type FieldIssue } from '../errors';
import { authorize, type Actor, type Ownership } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest, SegmentStore } from '../ports';
import { parseInput } from '../validation';
import { award, type AwardResult } from './award';
import { creditScore, emptyCreditHistory } from './credit';
import { evaluateLot } from './evaluation';
import { awardedContractUlid, newBidId, newTenderId } from './identity';
import type { AwardStore, CreditHistoryReader, TenderStore } from './ports';
import { AwardLotInput, CreateTenderInput, RecordBidInput, TenderFilter, type Bid, type CreditScore, type EvaluationRow, type EvaluationTable, type Tender } from './schema';
import { closedTender, evaluatedTender, lotOf, newTender } from './tender';
import { checkBid } from './validity';
import { areaM2FromX100, areaM2X100 } from '../segments/area';

/** What the tender use cases need from outside. */
export interface TenderDeps {
  readonly tenders: TenderStore;
  readonly contractors: Pick<ContractorStore, 'get' | 'getMany'>;
  /**
   * The segment registry's batch read: tells which lot segments exist, whether they are
   * retired, and their areas (per-m² lots are compared at the lot's area).
   */
  readonly segments: Pick<SegmentStore, 'getMany'>;
  /** Past performance; absent until the payments work provides it, and every bidder is then neutral. */
  readonly credit?: CreditHistoryReader;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const tenderOwnership = (tender: Tender): Ownership => ({ tenantId: tender.tenantId });

/**
 * Opens a tender with its lots. Every lot segment must exist in the tenant's registry and not
 * be retired, and a segment may be in one lot of the tender only; the close instant must be
 * in the future. All problems come back at once as a ValidationError naming each field.
 */
export async function createTender(deps: TenderDeps, actor: Actor, input: CreateTenderInput): Promise<Tender> {
  authorize(actor, 'tender:write');
  const fields = parseInput(CreateTenderInput, input);
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  if (Date.parse(fields.closesAt) <= now.getTime()) {
    issues.push({ path: 'body.closesAt', message: `the close instant must be in the future (now ${now.toISOString()})` });
  }
  const allIds = [...new Set(fields.lots.flatMap((lot) => lot.segmentIds))];
  const segments = await deps.segments.getMany(actor.tenantId, allIds);
  const lotOfSegment = new Map<string, number>();
  // Summed in hundredths of m² (segments/area.ts): 12000.5 + 0.25 is exact.
  const areasM2 = fields.lots.map((lot, lotIndex) => {
    let areaX100 = 0;
    lot.segmentIds.forEach((segmentId, index) => {
      const path = `body.lots.${lotIndex}.segmentIds.${index}`;
      const segment = segments.get(segmentId);
      const earlier = lotOfSegment.get(segmentId);
      if (earlier !== undefined) {
        issues.push({ path, message: earlier === lotIndex ? `segment '${segmentId}' is listed twice in this lot` : `segment '${segmentId}' is already in lot ${earlier + 1}` });
        return;
      }
      lotOfSegment.set(segmentId, lotIndex);
      if (segment === undefined) issues.push({ path, message: `no segment '${segmentId}' in this tenant` });
      else if (segment.status === 'retired') issues.push({ path, message: `segment '${segmentId}' (${segment.name}) was retired on ${segment.retiredAt ?? '?'}` });
      else areaX100 += areaM2X100(segment.areaM2);
    });
    return areaM2FromX100(areaX100);
  });
  if (issues.length > 0) throw new ValidationError(`${issues.length} field(s) failed validation`, issues);
  const tender = newTender(actor.tenantId, newTenderId(deps.ids.next()), fields, areasM2, { actor, at: now });
  await deps.tenders.save({ tender, expectedVersion: undefined });
  return tender;
}

/** Procurement, finance, inspectors and admins read tenders; contractors do not. */
export async function getTender(deps: TenderDeps, actor: Actor, tenderId: string): Promise<Tender> {
  authorize(actor, 'tender:read');
  const tender = await deps.tenders.get(actor.tenantId, tenderId);
  if (tender === undefined) throw new NotFoundError('tender', tenderId);
  authorize(actor, 'tender:read', tenderOwnership(tender));
  return tender;
}

/** The tenant's tenders, newest first, optionally of one status. */
export async function listTenders(deps: TenderDeps, actor: Actor, filter: TenderFilter, page: PageRequest): Promise<Page<Tender>> {
  authorize(actor, 'tender:read');
  return deps.tenders.list(actor.tenantId, parseInput(TenderFilter, filter, 'query'), page);
}

/** The tender's bids, of one lot when `lotId` is given. */
export async function listBids(deps: TenderDeps, actor: Actor, tenderId: string, lotId?: string): Promise<readonly Bid[]> {
  const tender = await getTender(deps, actor, tenderId);
  if (lotId !== undefined) lotOf(tender, lotId);
  const bids = await deps.tenders.bids(actor.tenantId, tenderId);
  return lotId === undefined ? bids : bids.filter((bid) => bid.lotId === lotId);
}

/**
 * Records a bid, as procurement received it, while the tender is open. The bid's own checks
 * (late, ceiling, contractor status, rate card) are computed and stored with it; an invalid
 * bid is kept, not refused. Refused (400) are only entries that cannot be a bid on this lot:
 * an unknown lot or contractor, another pricing kind than the lot's, a submission time in the
 * future, or a weighted tender's bid without a technical score.
 */
export async function recordBid(deps: TenderDeps, actor: Actor, tenderId: string, input: RecordBidInput): Promise<Bid> {
  authorize(actor, 'tender:write');
  const fields = parseInput(RecordBidInput, input);
  const tender = await getTender(deps, actor, tenderId);
  if (tender.status !== 'open') throw new ConflictError(`tender '${tenderId}' is ${tender.status}; bids can only be recorded while it is open`);
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  const lot = tender.lots.find((each) => each.lotId === fields.lotId);
  if (lot === undefined) issues.push({ path: 'body.lotId', message: `tender '${tenderId}' has no lot '${fields.lotId}' (lots: ${tender.lots.map((each) => each.lotId).join(', ')})` });
  else if (lot.pricing.kind !== fields.price.kind) issues.push({ path: 'body.price.kind', message: `lot '${lot.lotId}' is priced ${lot.pricing.kind}; the bid must use the same kind` });
  if (tender.evaluation.method === 'weighted' && fields.technicalScoreX100 === undefined) {
    issues.push({ path: 'body.technicalScoreX100', message: 'a weighted tender needs the panel\'s technical score of every bid' });
  }
  if (Date.parse(fields.submittedAt) > now.getTime()) issues.push({ path: 'body.submittedAt', message: `a bid cannot be submitted in the future (now ${now.toISOString()})` });
  const contractor = await deps.contractors.get(actor.tenantId, fields.contractorId);
  if (contractor === undefined) issues.push({ path: 'body.contractorId', message: `no contractor '${fields.contractorId}' in this tenant; register it first` });
  if (issues.length > 0 || lot === undefined) throw new ValidationError(`${issues.length} field(s) failed validation`, issues);
  const bid: Bid = {
    bidId: newBidId(deps.ids.next()),
    tenantId: actor.tenantId,
    tenderId,
    lotId: lot.lotId,
    contractorId: fields.contractorId,
    submittedAt: fields.submittedAt,
    price: fields.price,
    ...(fields.technicalScoreX100 === undefined ? {} : { technicalScoreX100: fields.technicalScoreX100 }),
    check: checkBid(tender, lot, fields, contractor),
    recordedAt: now.toISOString(),
    recordedBy: actor.userId,
  };
  await deps.tenders.saveBid(bid, tender.version);
  return bid;
}

/** 开标: closes the tender to bids, at or after its close instant. */
export async function closeTender(deps: TenderDeps, actor: Actor, tenderId: string, expectedVersion: number): Promise<Tender> {
  authorize(actor, 'tender:write');
  const tender = await current(deps, actor, tenderId, expectedVersion);
  const next = closedTender(tender, { actor, at: deps.clock.now() });
  await deps.tenders.save({ tender: next, expectedVersion });
  return next;
}

/**
 * Evaluates one lot of a closed tender and stores the table on the lot. Contractor status and
 * listing are read now (evaluation is when qualification is judged); credit comes from the
 * credit reader, or is neutral for everyone until there is one.
 */
export async function evaluateTenderLot(
  deps: TenderDeps,
  actor: Actor,
  tenderId: string,
  lotId: string,
  expectedVersion: number,
): Promise<{ readonly tender: Tender; readonly table: EvaluationTable }> {
  authorize(actor, 'tender:write');
  const tender = await current(deps, actor, tenderId, expectedVersion);
  const lot = lotOf(tender, lotId);
  const bids = (await deps.tenders.bids(actor.tenantId, tenderId)).filter((bid) => bid.lotId === lotId);
  const bidderIds = [...new Set(bids.map((bid) => bid.contractorId))];
  const contractors = await deps.contractors.getMany(actor.tenantId, bidderIds);
  const credits = new Map<string, CreditScore>();
  if (tender.evaluation.method === 'weighted' && tender.evaluation.creditWeight > 0) {
    for (const contractorId of bidderIds) {
      const history = deps.credit === undefined ? emptyCreditHistory : await deps.credit.history(actor.tenantId, contractorId);
      credits.set(contractorId, creditScore(history));
    }
  }
  const table = evaluateLot(tender, lot, bids, contractors, (contractorId) => credits.get(contractorId) ?? creditScore(emptyCreditHistory));
  const next = evaluatedTender(tender, table, { actor, at: deps.clock.now() });
  await deps.tenders.save({ tender: next, expectedVersion });
  return { tender: next, table };
}

/**
 * Awards a lot to its first-ranked bid and returns the draft contract's terms. Refused when
 * the winner was suspended or black-listed after the evaluation (evaluate again first). The
 * write is conditional on the version read, so of two concurrent awards one gets 412 and a
 * repeat gets 409 from `award`. The API awards with `awardLot`, which also creates the contract.
 */
export async function awardTenderLot(deps: TenderDeps, actor: Actor, tenderId: string, lotId: string, expectedVersion: number): Promise<AwardResult> {
  authorize(actor, 'tender:write');
  const result = await plannedAward(deps, actor, await current(deps, actor, tenderId, expectedVersion), lotId, expectedVersion);
  await deps.tenders.save({ tender: result.tender, expectedVersion });
  return result;
}

/** What awarding a lot with its contract needs beyond the tender use cases' deps. */
export interface AwardDeps extends TenderDeps {
  /** Writes the award and the draft contract in one transaction. */
  readonly awards: AwardStore;
  /** The contracts module's deps: its createContract validates and builds the draft contract. */
  readonly contracting: ContractDeps;
}

/** An award as the API answers it: the awarded tender, the winning row, the draft contract. */
export interface LotAward {
  readonly tender: Tender;
  readonly winner: EvaluationRow;
  readonly contract: Contract;
}

/** Fields of a contract input that the lot and the winning bid supply, not the award request. */
const termsFields = new Set(['contractorId', 'serviceType', 'origin', 'scope', 'pricing']);

/**
 * Awards a lot (issue 3: "Award creates a draft contract for the winner with the lot's scope
 * and the winning prices"): the first-ranked bid wins, and the contracts module's
 * createContract builds the winner's draft contract from the lot's terms and the request's
 * own (title, dates, bond, rulebook). A lot is awarded at most once: a repeat is a 409 naming
 * the contract, whatever version it sends.
 *
 * Atomic and convergent: createContract's save is staged, and the tender (conditional on
 * `expectedVersion`), the lot's award guard and the contract are written in ONE transaction
 * (AwardStore), so there is never an award without its contract or a contract without its
 * award. The contract's id derives from (tender, lot) (`awardedContractUlid`), so whatever
 * retries after a failure (a lost answer, a crash) addresses the same contract: the retry
 * either finds the lot awarded with that contract (409) or writes both, never a second one.
 */
export async function awardLot(
  deps: AwardDeps,
  actor: Actor,
  tenderId: string,
  lotId: string,
  expectedVersion: number,
  input: AwardLotInput,
): Promise<LotAward> {
  authorize(actor, 'tender:write');
  authorize(actor, 'contract:write');
  const fields = parseInput(AwardLotInput, input, '');
  const tender = await getTender(deps, actor, tenderId);
  const lot = lotOf(tender, lotId);
  const contractId = contractIdFrom(awardedContractUlid(tenderId, lotId));
  if (lot.status === 'awarded') {
    throw new ConflictError(`lot '${lotId}' of tender '${tenderId}' was already awarded on ${lot.awardedAt ?? '?'} to bid ${lot.awardedBidId ?? '?'}; its draft contract is ${contractId}`);
  }
  const result = await plannedAward(deps, actor, tender, lotId, expectedVersion);
  const staged: ContractWrite[] = [];
  const contracting: ContractDeps = { ...deps.contracting, ids: { next: () => awardedContractUlid(tenderId, lotId) }, contracts: stagingStore(deps.contracting.contracts, staged) };
  let contract: Contract;
  try {
    contract = await createContract(contracting, actor, { ...fields, ...result.terms });
  } catch (error) {
    // The lot's terms were valid when the tender was created; a segment retired since then
    // (or a contractor gone) is a fact of the registry, not a fault of the request.
    if (error instanceof ValidationError && error.issues.some((issue) => termsFields.has(issue.path.split('.')[0] ?? ''))) {
      throw new RuleViolationError(
        `the draft contract of lot '${lotId}' cannot be made from the lot's terms as the registry stands now`,
        error.issues.map((issue) => `${issue.path}: ${issue.message}`),
        { cause: error },
      );
    }
    throw error;
  }
  if (staged.length !== 1 || staged[0]?.contract !== contract) throw new Error('createContract is expected to save exactly the contract it returns');
  await deps.awards.saveAward({ tender: { tender: result.tender, expectedVersion }, lotId, contract });
  return { tender: result.tender, winner: result.winner, contract };
}

/** The stored evaluation table of a lot, with its tender (whose version an award must name). */
export async function getLotEvaluation(deps: TenderDeps, actor: Actor, tenderId: string, lotId: string): Promise<{ readonly tender: Tender; readonly table: EvaluationTable }> {
  const tender = await getTender(deps, actor, tenderId);
  const table = lotOf(tender, lotId).evaluationTable;
  if (table === undefined) throw new NotFoundError('evaluation of lot', `${tenderId}/${lotId}`);
  return { tender, table };
}

/** The award of `lotId` on `tender` as read at `expectedVersion`, not yet written. */
async function plannedAward(deps: TenderDeps, actor: Actor, tender: Tender, lotId: string, expectedVersion: number): Promise<AwardResult> {
  if (tender.version !== expectedVersion) throw new StaleVersionError('tender', tender.tenderId, expectedVersion, tender.version);
  const lot = lotOf(tender, lotId);
  // An awarded lot always has its table (award needs one), so a repeat reaches `award` and gets 409.
  if (lot.evaluationTable === undefined) throw new RuleViolationError(`lot '${lotId}' has not been evaluated; evaluate it before awarding`);
  const result = award(tender, lot, lot.evaluationTable, { actor, at: deps.clock.now() });
  const winner = await deps.contractors.get(actor.tenantId, result.winner.contractorId);
  if (winner === undefined || winner.status === 'suspended' || winner.listing.status === 'black') {
    const why = winner === undefined ? 'is no longer in the registry' : winner.status === 'suspended' ? 'was suspended' : 'was black-listed';
    throw new RuleViolationError(`the first-ranked contractor ${result.winner.contractorId} ${why} after the evaluation; evaluate lot '${lotId}' again`);
  }
  return result;
}

/** A ContractStore whose `save` only stages the write, for the award to commit with the tender. */
function stagingStore(store: ContractStore, staged: ContractWrite[]): ContractStore {
  return {
    get: (tenantId, contractId) => store.get(tenantId, contractId),
    list: (tenantId, filter, page) => store.list(tenantId, filter, page),
    listActiveByServiceType: (tenantId, serviceType) => store.listActiveByServiceType(tenantId, serviceType),
    save: async (write) => {
      staged.push(write);
    },
  };
}

async function current(deps: TenderDeps, actor: Actor, tenderId: string, expectedVersion: number): Promise<Tender> {
  const tender = await deps.tenders.get(actor.tenantId, tenderId);
  if (tender === undefined) throw new NotFoundError('tender', tenderId);
  authorize(actor, 'tender:read', tenderOwnership(tender));
  if (tender.version !== expectedVersion) throw new StaleVersionError('tender', tenderId, expectedVersion, tender.version);
  return tender;
}
