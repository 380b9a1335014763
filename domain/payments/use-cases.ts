import * as z from 'zod';
import { assessMonth, type MonthAssessment } from '../assessment/assess';
import { assessmentSummaryOf } from '../assessment/summary';
import { addMonths, ApiMonth, Month } from '../assessment/months';
import { CalendarDate, defaultZone, localDate } from '../dates';
import type { ContractStore } from '../contracts/ports';
import type { Contract } from '../contracts/schema';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { fen, formatYuan } from '../money';
import { authorize, isAllowed, isContractorScoped, type Actor } from '../policy';
import type { Clock, Page } from '../ports';
import type { TenantDirectory } from '../schedule/outcomes';
import type { ServiceType } from '../service-types';
import { inputsDigest, originFactsOf, statementContract, type ComputationInputs } from './facts';
import type { MonthFactsReader, StatementStore, StatementSummary } from './ports';
import { changeSummary, finalStatuses, statementRef, systemActor, type StatementRecord, type StatementStatus } from './records';
import {
  adjustmentFor,
  computeStatement,
  diffStatements,
  rulebookForMonth,
  type AdjustmentFact,
  type LineSources,
  type Statement,
  type StatementDiff,
  type StatementLine,
} from './statement';

/**
 * Statements as stored, versioned records with their lifecycle (issue 7 Lifecycle), computed
 * from the stored facts of a contract-month by the pure assess.ts / statement.ts.
 */

export interface StatementDeps {
  readonly statements: StatementStore;
  readonly facts: MonthFactsReader;
  readonly contracts: Pick<ContractStore, 'get'>;
  /** The tenant's zone, in which a month begins and ends (an unknown tenant: the default zone). */
  readonly tenants: Pick<TenantDirectory, 'zoneOf'>;
  readonly clock: Clock;
}

/** Today in the tenant's zone, and so its running month. */
export interface TenantToday {
  readonly zone: string;
  /** `YYYY-MM-DD`. */
  readonly today: string;
  /** `YYYY-MM`: the month running in the tenant's zone. */
  readonly month: string;
}

async function tenantToday(deps: Pick<StatementDeps, 'tenants' | 'clock'>, tenantId: string): Promise<TenantToday> {
  const zone = (await deps.tenants.zoneOf(tenantId)) ?? defaultZone;
  const today = localDate(deps.clock.now(), zone);
  return { zone, today, month: today.slice(0, 7) };
}

export interface ContractMonthRef {
  readonly tenantId: string;
  readonly contractId: string;
  /** `YYYY-MM`. */
  readonly month: string;
}

/** How far back a computation looks for approved months to correct (issue 7: bounded). */
export const adjustmentLookbackMonths = 12;

/**
 * Computes (or recomputes) the statement of one contract-month from its stored facts.
 * `'system'` is the monthly close. Idempotent: when the inputs' digest equals the current
 * record's, nothing is written and `changed` is false; otherwise a new computation (version
 * and computeVersion + 1, status draft, a diff summary against the previous one) is stored.
 * Refused (409) once the month is approved or paid: later evidence becomes an adjustment in
 * the next open month (see `adjustmentsFor`). Refused (422 naming `params.month`) for a month
 * that has not begun in the tenant's zone: it has no facts, and a statement of it would pay a
 * month of work not done (issue 13). The running month may be computed and reviewed.
 */
export async function computeContractMonth(
  deps: StatementDeps,
  actor: Actor | typeof systemActor,
  ref: ContractMonthRef,
): Promise<{ record: StatementRecord; changed: boolean }> {
  if (actor !== systemActor) authorize(actor, 'statement:compute', { tenantId: ref.tenantId });
  const month = parseMonth(ref.month);
  const now = await tenantToday(deps, ref.tenantId);
  if (month > now.month) {
    const reason = `${month} has not begun: today is ${now.today} in ${now.zone}`;
    const reasonZh = `${month} 尚未开始：${now.zone} 今天是 ${now.today}`;
    throw new RuleViolationError(`the statement of ${month} cannot be computed before the month begins: ${reason}`, [reason], {
      fields: ['params.month'],
      reasonsZh: [reasonZh],
      zh: `${month} 的结算单不能在该月开始前计算：${reasonZh}`,
    });
  }
  const contract = await deps.contracts.get(ref.tenantId, ref.contractId);
  if (contract === undefined) throw new NotFoundError('contract', ref.contractId);
  if (contract.status === 'draft') throw new RuleViolationError(`contract '${contract.contractId}' was never activated: there is nothing to pay`, ['contract_draft']);
  if (rulebookForMonth(contract, month) === undefined) {
    throw new RuleViolationError(`contract '${contract.contractId}' was not in force in ${month}: there is nothing to pay`, ['not_in_force']);
  }
  const current = await deps.statements.get(ref.tenantId, ref.contractId, month);
  if (current !== undefined && finalStatuses.includes(current.status)) throw immutable(current);

  const monthFacts = await deps.facts.read(ref.tenantId, contract, month);
  const adjustments = await adjustmentsFor(deps, contract, month);
  const inputs: ComputationInputs = { contract: statementContract(contract), month, monthFacts, adjustments };
  const digest = inputsDigest(inputs);
  if (current !== undefined && current.inputsDigest === digest) return { record: current, changed: false };

  const { statement, assessment } = computationFrom(inputs);
  const computeVersion = (current?.computeVersion ?? 0) + 1;
  const record: StatementRecord = {
    tenantId: ref.tenantId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    serviceType: contract.serviceType,
    month,
    version: (current?.version ?? 0) + 1,
    computeVersion,
    status: 'draft',
    statement,
    inputsDigest: digest,
    computedAt: deps.clock.now().toISOString(),
    computedBy: actor === systemActor ? systemActor : actor.userId,
    ...(current === undefined ? {} : { changes: changeSummary(current.computeVersion, diffStatements(current.statement, statement)) }),
    assessment: assessmentSummaryOf(assessment),
  };
  try {
    await deps.statements.saveComputation({ record, inputs }, current?.version);
  } catch (error) {
    // Two computations of the same month at once: the other one's result stands; a POST
    // without If-Match gets a retryable 409 rather than a 412 it never asked for.
    if (error instanceof StaleVersionError) {
      throw new ConflictError(`the statement of ${contract.contractId} for ${month} was computed concurrently; retry to see the result`, { cause: error });
    }
    throw error;
  }
  return { record, changed: true };
}

/** assessMonth then computeStatement: pure, the same bytes for the same inputs. */
export function statementFrom(inputs: ComputationInputs): Statement {
  return computationFrom(inputs).statement;
}

/** The statement and the assessment it was computed from (the record keeps a summary of it). Pure. */
export function computationFrom(inputs: ComputationInputs): { readonly statement: Statement; readonly assessment: MonthAssessment } {
  const { contract, month, monthFacts, adjustments } = inputs;
  const rulebook = rulebookForMonth(contract, month);
  if (rulebook === undefined) throw new RangeError(`contract '${contract.contractId}' was not in force in ${month}`);
  const assessment = assessMonth(monthFacts.facts, rulebook);
  const statement = computeStatement({
    contractId: contract.contractId,
    month,
    contract,
    segmentAreasM2: monthFacts.segmentAreasM2,
    assessment,
    workOrders: monthFacts.workOrders,
    adjustments,
  });
  return { statement, assessment };
}

/**
 * The adjustments carried into month `month` (issue 7: evidence about an approved month that
 * arrives later becomes an adjustment line in the next open month, with its source).
 *
 * Rule — the approved statements are the ledger, and each correction is carried once:
 * for every month A among the last `adjustmentLookbackMonths` whose statement is approved or
 * paid, A is recomputed from today's facts and compared with A as approved (`adjustmentFor`,
 * which ignores the adjustments A itself carried). From that difference we subtract what the
 * approved statements of the months between A and `month` already carried for A (lines
 * `adjustment/{A}`); only a non-zero remainder is carried, as line `adjustment/{A}`. And it is
 * carried only by the FIRST open month after A: if any month between A and `month` in which
 * the contract was in force is not approved yet (or has no statement), that month carries it
 * and this one does not — so two open months never both carry the same correction. Once M is
 * approved with it, M+1 finds the remainder 0 and carries nothing.
 */
export async function adjustmentsFor(deps: Pick<StatementDeps, 'statements' | 'facts'>, contract: Contract, month: string): Promise<AdjustmentFact[]> {
  const window: string[] = [];
  for (let offset = adjustmentLookbackMonths; offset >= 1; offset -= 1) {
    const candidate = addMonths(month, -offset);
    if (rulebookForMonth(contract, candidate) !== undefined) window.push(candidate);
  }
  if (window.length === 0) return [];
  const records = new Map((await deps.statements.getMonths(contract.tenantId, contract.contractId, window)).map((record) => [record.month, record]));
  const isFinal = (candidate: string): boolean => {
    const record = records.get(candidate);
    return record !== undefined && finalStatuses.includes(record.status);
  };
  const candidates = window.flatMap((origin, index) => {
    const approved = records.get(origin);
    const between = window.slice(index + 1);
    if (approved === undefined || !isFinal(origin) || !between.every(isFinal)) return [];
    const carriers = between.flatMap((later) => {
      const record = records.get(later);
      const lines = record?.statement.lines.filter((entry) => entry.key === adjustmentKey(origin)) ?? [];
      return record === undefined || lines.length === 0 ? [] : [{ record, lines }];
    });
    return [{ origin, approved, carriers }];
  });
  // The approved months' facts are independent reads: fetched together.
  const recomputed = await Promise.all(
    candidates.map(async ({ origin }) => {
      const monthFacts = await deps.facts.read(contract.tenantId, contract, origin);
      return { monthFacts, statement: statementFrom({ contract: statementContract(contract), month: origin, monthFacts, adjustments: [] }) };
    }),
  );
  const adjustments: AdjustmentFact[] = [];
  for (const [index, { origin, approved, carriers }] of candidates.entries()) {
    const carriedFen = carriers.reduce((total, carrier) => total + carrier.lines.reduce((sum, entry) => sum + entry.amountFen, 0), 0);
    const { monthFacts, statement } = recomputed[index]!;
    const fact = adjustmentFor(approved.statement, approved.computeVersion, statement, origin);
    const remainder = (fact?.amountFen ?? 0) - carriedFen;
    if (remainder === 0) continue;
    // The facts as approved, for records the correction names that are no longer there.
    const approvedInputs = (await deps.statements.getComputation(contract.tenantId, contract.contractId, origin, approved.computeVersion))?.inputs;
    const sources = fact?.sources ?? {};
    const carriedText = carriers.length === 0 ? '' : `; ${formatYuan(fen(carriedFen))} already carried in ${carriers.map((carrier) => carrier.record.month).join(', ')}`;
    adjustments.push({
      adjustmentId: origin,
      originMonth: origin,
      amountFen: remainder,
      formula: `${fact?.formula ?? `recomputed after approval (v${approved.computeVersion}): no difference any more`}${carriedText}; carried now ${formatYuan(fen(remainder))}`,
      // The approved statement corrected, and the approved ones that already carried part of it.
      sources: { ...sources, statementRefs: [statementRef(approved), ...carriers.map((carrier) => statementRef(carrier.record))] },
      originFacts: originFactsOf(sources, monthFacts, approvedInputs?.monthFacts),
    });
  }
  return adjustments;
}

/** The key of the line that carries corrections of `originMonth` (statement.ts `adjustment/{id}`). */
export function adjustmentKey(originMonth: string): string {
  return `adjustment/${originMonth}`;
}

function immutable(record: StatementRecord): ConflictError {
  return new ConflictError(
    `the statement of ${record.contractId} for ${record.month} is ${record.status} and never changes; evidence that arrives later becomes an adjustment in the next open month`,
  );
}

function parseMonth(month: string): string {
  const parsed = Month.safeParse(month);
  if (!parsed.success) throw new ValidationError('invalid month', [{ path: 'params.month', message: 'a month is YYYY-MM' }]);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------
// Reading

export interface StatementQuery extends ContractMonthRef {
  /** A kept computation; the current record when absent. */
  readonly computeVersion?: number;
}

/**
 * One contract-month's statement. Finance, procurement and admin read any of the tenant; a
 * contractor user reads its own only once approved (or paid) — before that it does not exist
 * for them (404), and only the approved computation.
 */
export async function getStatement(deps: Pick<StatementDeps, 'statements'>, actor: Actor, query: StatementQuery): Promise<StatementRecord> {
  const current = await readable(deps, actor, query);
  if (query.computeVersion === undefined || query.computeVersion === current.computeVersion) return current;
  if (isContractorOnly(actor)) throw notFound(query);
  const kept = await deps.statements.getComputation(query.tenantId, query.contractId, parseMonth(query.month), query.computeVersion);
  if (kept === undefined) throw new NotFoundError('statement version', `${query.contractId}/${query.month}/v${query.computeVersion}`);
  return kept.record;
}

/** Every computation of a contract-month, oldest first (finance, procurement, admin). */
export async function listStatementVersions(deps: Pick<StatementDeps, 'statements'>, actor: Actor, ref: ContractMonthRef): Promise<StatementRecord[]> {
  const current = await readable(deps, actor, ref);
  if (isContractorOnly(actor)) return [current];
  return deps.statements.listComputations(ref.tenantId, ref.contractId, current.month);
}

/** The diff between two computations (issue 7: every recompute has a diff against the previous one). */
export async function diffStatementVersions(
  deps: Pick<StatementDeps, 'statements'>,
  actor: Actor,
  ref: ContractMonthRef & { readonly from: number; readonly to: number },
): Promise<StatementDiff & { readonly from: number; readonly to: number }> {
  const [before, after] = await Promise.all([
    getStatement(deps, actor, { ...ref, computeVersion: ref.from }),
    getStatement(deps, actor, { ...ref, computeVersion: ref.to }),
  ]);
  return { from: ref.from, to: ref.to, ...diffStatements(before.statement, after.statement) };
}

/** A source of a line, summarised from the facts the computation read. */
export interface SourceSummary {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface ExpandedLine {
  readonly contractId: string;
  readonly month: string;
  readonly computeVersion: number;
  readonly line: StatementLine;
  /** Ids grouped by kind (the line's `sources`), each with what the stored facts say of it. */
  readonly sources: Readonly<Partial<Record<keyof LineSources, readonly SourceSummary[]>>>;
}

/**
 * A line expanded into its sources (issue 7: the API can expand a line into them): each id
 * with the underlying record summarised from the inputs the computation was made from — task
 * ids with activity, segment and date, inspection ids with item codes and points, orders,
 * complaints, work orders with quantities, amendments; proofs, segments and statement
 * references as ids.
 */
export async function expandStatementLine(
  deps: Pick<StatementDeps, 'statements'>,
  actor: Actor,
  query: StatementQuery & { readonly lineKey: string },
): Promise<ExpandedLine> {
  const record = await getStatement(deps, actor, query);
  const line = record.statement.lines.find((entry) => entry.key === query.lineKey);
  if (line === undefined) throw new NotFoundError('statement line', query.lineKey);
  const kept = await deps.statements.getComputation(record.tenantId, record.contractId, record.month, record.computeVersion);
  const inputs = kept?.inputs;
  // An adjustment's ids are records of the month it corrects, kept with it; the others, this month's.
  const origin = line.code === 'adjustment' ? inputs?.adjustments.find((adjustment) => adjustmentKey(adjustment.adjustmentId) === line.key)?.originFacts : undefined;
  const facts = origin ?? inputs?.monthFacts.facts;
  const byId = <T>(items: readonly T[] | undefined, id: (item: T) => string): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const item of items ?? []) map.set(id(item), [...(map.get(id(item)) ?? []), item]);
    return map;
  };
  const tasks = byId(facts?.missedTasks, (t) => t.taskId);
  const findings = byId(facts?.findings, (f) => f.inspectionId);
  const orders = byId(facts?.lateOrders, (o) => o.orderId);
  const complaints = byId(facts?.validComplaints, (c) => c.complaintId);
  const workOrders = byId(origin?.workOrders ?? inputs?.monthFacts.workOrders, (w) => w.workOrderId);
  const lines = new Map(record.statement.lines.map((entry) => [entry.key, entry]));
  const amendments = new Map(
    (inputs?.contract.versions ?? []).flatMap((terms) => (terms.amendment === undefined ? [] : [[terms.amendment.amendmentId, terms] as const])),
  );
  const taskDates = origin?.taskDates ?? inputs?.monthFacts.taskDates ?? {};

  const sources: Partial<Record<keyof LineSources, SourceSummary[]>> = {};
  for (const [kind, ids] of Object.entries(line.sources) as [keyof LineSources, readonly string[]][]) {
    sources[kind] = ids.map((id): SourceSummary => {
      switch (kind) {
        case 'taskIds': {
          const task = tasks.get(id)?.[0];
          return { id, ...(task === undefined ? {} : { activity: task.activity, segmentId: task.segmentId, pointsX100: task.pointsX100, fineFen: task.fineFen }), ...(taskDates[id] === undefined ? {} : { date: taskDates[id] }) };
        }
        case 'inspectionIds': {
          const list = findings.get(id) ?? [];
          return {
            id,
            at: list[0]?.at,
            segmentId: list[0]?.segmentId,
            findings: list.map((f) => ({ itemCode: f.itemCode, category: f.category, pointsX100: f.pointsX100, fineFen: f.fineFen })),
          };
        }
        case 'orderIds': {
          const order = orders.get(id)?.[0];
          return { id, ...(order === undefined ? {} : { itemCode: order.itemCode, segmentId: order.segmentId, pointsX100: order.pointsX100, fineFen: order.fineFen }) };
        }
        case 'complaintIds': {
          const complaint = complaints.get(id)?.[0];
          return { id, ...(complaint === undefined ? {} : { segmentId: complaint.segmentId, pointsX100: complaint.pointsX100 }) };
        }
        case 'workOrderIds': {
          const order = workOrders.get(id)?.[0];
          return { id, ...(order === undefined ? {} : { itemCode: order.itemCode, quantityX1000: order.quantityX1000, orderedQuantityX1000: order.orderedQuantityX1000, acceptedOn: order.acceptedOn }) };
        }
        case 'lineKeys': {
          const source = lines.get(id);
          return { id, ...(source === undefined ? {} : { code: source.code, labelZh: source.labelZh, labelEn: source.labelEn, amountFen: source.amountFen }) };
        }
        case 'amendmentIds': {
          const terms = amendments.get(id);
          return { id, ...(terms === undefined ? {} : { termsVersion: terms.termsVersion, effectiveFrom: terms.effectiveFrom }) };
        }
        default:
          return { id };
      }
    });
  }
  return { contractId: record.contractId, month: record.month, computeVersion: record.computeVersion, line, sources };
}

export const ListStatementsQuery = z
  .object({
    month: ApiMonth,
    serviceType: z.enum(['cleaning', 'greening', 'municipal']).optional(),
    status: z.enum(['draft', 'reviewed', 'approved', 'paid']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .meta({ id: 'ListStatementsQuery' });
export type ListStatementsQuery = z.input<typeof ListStatementsQuery>;

/** A tenant-month's statements (finance), one Query; summaries without the lines. */
export async function listStatements(
  deps: Pick<StatementDeps, 'statements'>,
  actor: Actor,
  query: { readonly tenantId: string; readonly month: string; readonly serviceType?: ServiceType; readonly status?: StatementStatus; readonly limit?: number; readonly cursor?: string },
): Promise<Page<StatementSummary>> {
  authorize(actor, 'statement:list', { tenantId: query.tenantId });
  const month = parseMonth(query.month);
  return deps.statements.listMonth(
    query.tenantId,
    month,
    { ...(query.serviceType === undefined ? {} : { serviceType: query.serviceType }), ...(query.status === undefined ? {} : { status: query.status }) },
    { limit: query.limit ?? 50, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) },
  );
}

async function readable(deps: Pick<StatementDeps, 'statements'>, actor: Actor, ref: ContractMonthRef): Promise<StatementRecord> {
  authorize(actor, 'statement:read', { tenantId: ref.tenantId });
  const month = parseMonth(ref.month);
  const current = await deps.statements.get(ref.tenantId, ref.contractId, month);
  if (current === undefined) throw notFound(ref);
  // A contractor's own draft does not exist for them yet, and another's never does: both 404,
  // so the answer does not reveal whether finance has started on a month.
  if (!isAllowed(actor, 'statement:read', { tenantId: current.tenantId, contractorId: current.contractorId })) throw notFound(ref);
  if (isContractorOnly(actor) && !finalStatuses.includes(current.status)) throw notFound(ref);
  return current;
}

function isContractorOnly(actor: Actor): boolean {
  return isContractorScoped(actor);
}

function notFound(ref: ContractMonthRef): NotFoundError {
  return new NotFoundError('statement', `${ref.contractId}/${ref.month}`);
}

// ---------------------------------------------------------------------------------------
// Lifecycle

export const ReviewStatementInput = z.strictObject({ reason: z.string().trim().min(1).max(1000).optional() }).meta({ id: 'ReviewStatement' });
export type ReviewStatementInput = z.input<typeof ReviewStatementInput>;
export const ApproveStatementInput = ReviewStatementInput.meta({ id: 'ApproveStatement' });
export type ApproveStatementInput = z.input<typeof ApproveStatementInput>;
export const RecordPaymentInput = z
  .strictObject({
    reference: z.string().trim().min(1).max(200),
    paidOn: CalendarDate,
  })
  .meta({ id: 'RecordStatementPayment' });
export type RecordPaymentInput = z.input<typeof RecordPaymentInput>;

/** draft → reviewed (finance). The running month may be reviewed; approval waits for its end. */
export function reviewStatement(deps: Pick<StatementDeps, 'statements' | 'tenants' | 'clock'>, actor: Actor, ref: ContractMonthRef, expectedVersion: number, input: ReviewStatementInput = {}): Promise<StatementRecord> {
  return transition(deps, actor, ref, expectedVersion, 'draft', () => [], (record, at) => ({
    ...record,
    status: 'reviewed',
    review: { by: actor.userId, at, ...(input.reason === undefined ? {} : { reason: input.reason }) },
  }));
}

/**
 * reviewed → approved (finance). From then on the record never changes but to record its
 * payment (every store write is conditional on the status it expects). Of two approvals at
 * once exactly one succeeds; the other gets 412 (its If-Match is stale) or 409.
 *
 * Refused (409, every rule broken named in `rules`, issue 13):
 * - `approval-after-month-end`: the month has not ended in the tenant's zone (a month is paid
 *   for once its work is done and its evidence in);
 * - `reviewer-not-approver`: the approver is the user who reviewed it (four eyes).
 */
export function approveStatement(deps: Pick<StatementDeps, 'statements' | 'tenants' | 'clock'>, actor: Actor, ref: ContractMonthRef, expectedVersion: number, input: ApproveStatementInput = {}): Promise<StatementRecord> {
  return transition(deps, actor, ref, expectedVersion, 'reviewed', (record, now) => approvalRefusals(record, actor, now), (record, at) => ({
    ...record,
    status: 'approved',
    approval: { by: actor.userId, at, ...(input.reason === undefined ? {} : { reason: input.reason }) },
  }));
}

/**
 * approved → paid, with the payment reference and date (finance). Refused (409, rule
 * `approver-not-payer`) when the user recording it is the one who approved it (four eyes).
 */
export function recordStatementPayment(deps: Pick<StatementDeps, 'statements' | 'tenants' | 'clock'>, actor: Actor, ref: ContractMonthRef, expectedVersion: number, input: RecordPaymentInput): Promise<StatementRecord> {
  const parsed = RecordPaymentInput.parse(input);
  return transition(deps, actor, ref, expectedVersion, 'approved', (record) => paymentRefusals(record, actor), (record, at) => ({
    ...record,
    status: 'paid',
    payment: { by: actor.userId, at, reference: parsed.reference, paidOn: parsed.paidOn },
  }));
}

/** A rule that refuses a lifecycle step, in both languages. */
export interface StepRefusal {
  readonly rule: 'approval-after-month-end' | 'reviewer-not-approver' | 'approver-not-payer';
  readonly message: string;
  readonly zh: string;
}

/** Why `actor` may not approve `record` now (empty: it may). Pure. */
export function approvalRefusals(record: Pick<StatementRecord, 'month' | 'review'>, actor: Pick<Actor, 'userId'>, now: TenantToday): StepRefusal[] {
  const refusals: StepRefusal[] = [];
  if (record.review?.by === actor.userId) {
    refusals.push({
      rule: 'reviewer-not-approver',
      message: `user ${actor.userId} reviewed it, and the user who reviews a statement may not approve it (four eyes): another finance user approves`,
      zh: `用户 ${actor.userId} 复核了该结算单，复核人不能审批（四眼原则）：请由另一名财务人员审批`,
    });
  }
  if (record.month >= now.month) {
    const from = `${addMonths(record.month, 1)}-01`;
    refusals.push({
      rule: 'approval-after-month-end',
      message: `${record.month} has not ended in ${now.zone} (today is ${now.today}): a statement is approved once its month is over, from ${from}`,
      zh: `${record.month} 在 ${now.zone} 尚未结束（今天是 ${now.today}）：结算单须在当月结束后审批，自 ${from} 起`,
    });
  }
  return refusals;
}

/** Why `actor` may not record the payment of `record` (empty: it may). Pure. */
export function paymentRefusals(record: Pick<StatementRecord, 'approval'>, actor: Pick<Actor, 'userId'>): StepRefusal[] {
  if (record.approval?.by !== actor.userId) return [];
  return [
    {
      rule: 'approver-not-payer',
      message: `user ${actor.userId} approved it, and the user who approves a statement may not record its payment (four eyes): another finance user records it`,
      zh: `用户 ${actor.userId} 审批了该结算单，审批人不能登记付款（四眼原则）：请由另一名财务人员登记`,
    },
  ];
}

const stepNames: Readonly<Record<StatementStatus, { readonly en: string; readonly zh: string }>> = {
  draft: { en: 'reviewed', zh: '复核' },
  reviewed: { en: 'approved', zh: '审批' },
  approved: { en: 'marked paid', zh: '登记付款' },
  paid: { en: 'changed', zh: '修改' },
};

async function transition(
  deps: Pick<StatementDeps, 'statements' | 'tenants' | 'clock'>,
  actor: Actor,
  ref: ContractMonthRef,
  expectedVersion: number,
  from: StatementStatus,
  refusals: (record: StatementRecord, now: TenantToday) => readonly StepRefusal[],
  next: (record: StatementRecord, at: string) => StatementRecord,
): Promise<StatementRecord> {
  authorize(actor, 'statement:approve', { tenantId: ref.tenantId });
  const month = parseMonth(ref.month);
  const current = await deps.statements.get(ref.tenantId, ref.contractId, month);
  if (current === undefined) throw notFound(ref);
  if (current.version !== expectedVersion) throw new StaleVersionError('statement', `${ref.contractId}/${month}`, expectedVersion, current.version);
  if (current.status !== from) {
    throw new ConflictError(`the statement of ${ref.contractId} for ${month} is ${current.status}; this step needs it ${from}`);
  }
  const refused = refusals(current, await tenantToday(deps, ref.tenantId));
  if (refused.length > 0) {
    const step = stepNames[from];
    throw new ConflictError(`the statement of ${ref.contractId} for ${month} cannot be ${step.en} by ${actor.userId}: ${refused.map((refusal) => refusal.message).join('; ')}`, {
      rules: refused.map((refusal) => refusal.rule),
      zh: `结算单 ${ref.contractId}（${month}）不能由 ${actor.userId} ${step.zh}：${refused.map((refusal) => refusal.zh).join('；')}`,
    });
  }
  const record = { ...next(current, deps.clock.now().toISOString()), version: current.version + 1 };
  await deps.statements.transition(record, expectedVersion, from);
  return record;
}
