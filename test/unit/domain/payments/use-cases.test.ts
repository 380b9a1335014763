import { beforeEach, describe, expect, it } from 'vitest';
import type { MissedTaskFact } from '../../../../domain/assessment/assess';
import type { Contract } from '../../../../domain/contracts/schema';
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError } from '../../../../domain/errors';
import type { ContractMonthFacts } from '../../../../domain/payments/facts';
import type { MonthFactsReader, StatementListFilter, StatementStore, StatementSummary, StoredComputation } from '../../../../domain/payments/ports';
import type { StatementRecord, StatementStatus } from '../../../../domain/payments/records';
import {
  approveStatement,
  computeContractMonth,
  diffStatementVersions,
  expandStatementLine,
  getStatement,
  listStatements,
  listStatementVersions,
  recordStatementPayment,
  reviewStatement,
  type StatementDeps,
} from '../../../../domain/payments/use-cases';
import type { Actor } from '../../../../domain/policy';
import type { Page, PageRequest } from '../../../../domain/ports';
import { FixedClock } from '../../../helpers/fakes';
import { contractId, contractorId, lumpSumContract, noFacts } from './fixtures';

/**
 * The statement use cases over in-memory ports with the stores' semantics: conditional
 * writes on version AND status (an approved record cannot be overwritten), kept computations.
 */

const tenantId = 'jingan';
const finance: Actor = { userId: 'usr_finance_zhao', tenantId, roles: ['finance'] };
const finance2: Actor = { userId: 'usr_finance_qian', tenantId, roles: ['finance'] };
const finance3: Actor = { userId: 'usr_finance_sun', tenantId, roles: ['finance'] };
const procurement: Actor = { userId: 'usr_procure_wang', tenantId, roles: ['procurement'] };
const ownContractor: Actor = { userId: 'usr_crew_li', tenantId, roles: ['contractor'], contractorId };
const otherContractor: Actor = { userId: 'usr_crew_sun', tenantId, roles: ['contractor'], contractorId: 'ctr_other000000000000' };

class MemoryStatementStore implements StatementStore {
  readonly current = new Map<string, StatementRecord>();
  readonly computations = new Map<string, StoredComputation>();
  writes = 0;

  async get(tenant: string, contract: string, month: string): Promise<StatementRecord | undefined> {
    return this.current.get(`${tenant}/${contract}/${month}`);
  }
  async getMonths(tenant: string, contract: string, months: readonly string[]): Promise<StatementRecord[]> {
    return months.flatMap((month) => this.current.get(`${tenant}/${contract}/${month}`) ?? []);
  }
  async getComputation(tenant: string, contract: string, month: string, computeVersion: number): Promise<StoredComputation | undefined> {
    return this.computations.get(`${tenant}/${contract}/${month}/${computeVersion}`);
  }
  async listComputations(tenant: string, contract: string, month: string): Promise<StatementRecord[]> {
    return [...this.computations.entries()]
      .filter(([key]) => key.startsWith(`${tenant}/${contract}/${month}/`))
      .map(([, value]) => value.record)
      .sort((a, b) => a.computeVersion - b.computeVersion);
  }
  async listMonth(tenant: string, month: string, filter: StatementListFilter, _page: PageRequest): Promise<Page<StatementSummary>> {
    const items = [...this.current.values()]
      .filter((record) => record.tenantId === tenant && record.month === month)
      .filter((record) => filter.status === undefined || record.status === filter.status)
      .map(({ statement, ...rest }) => ({ ...rest, netFen: statement.totals.netFen, scoreX100: statement.scoreX100 }));
    return { items };
  }
  async saveComputation(computation: StoredComputation, expectedVersion: number | undefined): Promise<void> {
    const { record } = computation;
    const key = `${record.tenantId}/${record.contractId}/${record.month}`;
    const stored = this.current.get(key);
    if (expectedVersion === undefined && stored !== undefined) throw new ConflictError('exists');
    if (expectedVersion !== undefined && stored?.version !== expectedVersion) throw new StaleVersionError('statement', key, expectedVersion, stored?.version);
    if (stored !== undefined && stored.status !== 'draft' && stored.status !== 'reviewed') throw new ConflictError(`is ${stored.status}`);
    this.current.set(key, record);
    this.computations.set(`${key}/${record.computeVersion}`, structuredClone(computation));
    this.writes += 1;
  }
  async transition(record: StatementRecord, expectedVersion: number, from: StatementStatus): Promise<void> {
    const key = `${record.tenantId}/${record.contractId}/${record.month}`;
    const stored = this.current.get(key);
    if (stored?.version !== expectedVersion) throw new StaleVersionError('statement', key, expectedVersion, stored?.version);
    if (stored.status !== from) throw new ConflictError(`is ${stored.status}`);
    this.current.set(key, record);
    this.writes += 1;
  }
}

class MemoryFacts implements MonthFactsReader {
  readonly byMonth = new Map<string, MissedTaskFact[]>();
  reads = 0;
  async read(_tenant: string, _contract: Contract, month: string): Promise<ContractMonthFacts> {
    this.reads += 1;
    const missedTasks = this.byMonth.get(month) ?? [];
    return {
      facts: noFacts(month, { missedTasks, tasksDue: 100, tasksDone: 100 - missedTasks.length }),
      segmentAreasM2: {},
      workOrders: [],
      taskDates: Object.fromEntries(missedTasks.map((task, index) => [task.taskId, `${month}-${String(index + 1).padStart(2, '0')}`])),
    };
  }
  miss(month: string, taskId: string): void {
    // The cleaning rulebook's sweep: 1.00 point and ¥100.00 per miss.
    this.byMonth.set(month, [...(this.byMonth.get(month) ?? []), { taskId, segmentId: 'seg_n4j7w2q8e5r3t6yu', activity: 'sweep', pointsX100: 100, fineFen: 10_000 }]);
  }
}

const contract: Contract = {
  ...lumpSumContract(1_000_000, '2025-01-01'),
  contractId,
  tenantId,
  contractorId,
  serviceType: 'cleaning',
  title: '静安区道路保洁',
  status: 'active',
  performanceBondFen: 0,
  statusHistory: [],
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  createdBy: 'usr_procure_wang',
  updatedAt: '2025-01-01T00:00:00.000Z',
  updatedBy: 'usr_procure_wang',
} as unknown as Contract;

let store: MemoryStatementStore;
let facts: MemoryFacts;
let deps: StatementDeps;

beforeEach(() => {
  store = new MemoryStatementStore();
  facts = new MemoryFacts();
  // 1 April 2025, 10:00 in Shanghai: January to March have ended, April is running.
  deps = {
    statements: store,
    facts,
    contracts: { get: async (t, c) => (t === tenantId && c === contractId ? contract : undefined) },
    tenants: { zoneOf: async (t) => (t === tenantId ? 'Asia/Shanghai' : undefined) },
    clock: new FixedClock('2025-04-01T02:00:00.000Z'),
  };
});

const ref = (month: string): { tenantId: string; contractId: string; month: string } => ({ tenantId, contractId, month });

/** Computes, reviews and approves a month; answers the approved record. */
async function approveMonth(month: string): Promise<StatementRecord> {
  const { record } = await computeContractMonth(deps, 'system', ref(month));
  const reviewed = await reviewStatement(deps, finance, ref(month), record.version);
  return approveStatement(deps, finance2, ref(month), reviewed.version);
}

function lineAmount(record: StatementRecord, key: string): number | undefined {
  return record.statement.lines.find((line) => line.key === key)?.amountFen;
}

describe('computeContractMonth', () => {
  it('stores a first computation as draft v1 and writes nothing when recomputed with unchanged facts', async () => {
    // Prepare: one missed sweep in January.
    facts.miss('2025-01', 'tsk_a1');

    // Act
    const first = await computeContractMonth(deps, finance, ref('2025-01'));
    const again = await computeContractMonth(deps, 'system', ref('2025-01'));

    // Assess: same record, same digest, one write, no second computation kept.
    expect(first.changed).toBe(true);
    expect(first.record).toMatchObject({ version: 1, computeVersion: 1, status: 'draft', computedBy: 'usr_finance_zhao', contractorId, serviceType: 'cleaning' });
    expect(first.record.inputsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(again.changed).toBe(false);
    expect(again.record).toEqual(first.record);
    expect(store.writes).toBe(1);
    expect(await store.listComputations(tenantId, contractId, '2025-01')).toHaveLength(1);
  });

  it('stores a new version with a diff summary when the facts changed', async () => {
    // Prepare: v1 with one miss, then a second miss arrives.
    facts.miss('2025-01', 'tsk_a1');
    const first = await computeContractMonth(deps, finance, ref('2025-01'));
    facts.miss('2025-01', 'tsk_a2');

    // Act
    const second = await computeContractMonth(deps, finance, ref('2025-01'));

    // Assess: score 99.00 then 98.00, both in the ≥ 95 reward band (10100, bonus cap 100 bps):
    // bonus 1 000 000 x 100/10000 = 10 000 both times.
    // v1: base 1 000 000 + bonus 10 000 − fines 10 000 = 1 000 000; retention x 500/10000 = 50 000 → net 950 000.
    // v2: fines 20 000 → 990 000; retention 49 500 → net 940 500; Δ −9 500.
    expect(first.record.statement.totals.netFen).toBe(950_000);
    expect(second.changed).toBe(true);
    expect(second.record).toMatchObject({ version: 2, computeVersion: 2, status: 'draft' });
    expect(second.record.changes).toEqual({
      previousComputeVersion: 1,
      netBeforeFen: 950_000,
      netAfterFen: 940_500,
      netDeltaFen: -9_500,
      // bonus, quality and cap lines keep their amounts but their formulas name the new score and fines.
      changedLineKeys: ['bonus', 'quality_deduction', 'fines_missed_tasks', 'deduction_cap_excess', 'retention'],
    });
    const diff = await diffStatementVersions(deps, finance, { ...ref('2025-01'), from: 1, to: 2 });
    expect(diff.lines.filter((change) => change.deltaFen !== 0).map((change) => [change.key, change.deltaFen])).toEqual([
      ['fines_missed_tasks', -10_000],
      ['retention', 500],
    ]);
    expect((await listStatementVersions(deps, finance, ref('2025-01'))).map((record) => record.computeVersion)).toEqual([1, 2]);
  });

  it('sends a reviewed statement back to draft when its facts changed', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));
    await reviewStatement(deps, finance, ref('2025-01'), record.version);
    facts.miss('2025-01', 'tsk_a1');

    const recomputed = await computeContractMonth(deps, finance, ref('2025-01'));

    expect(recomputed.record).toMatchObject({ status: 'draft', computeVersion: 2, version: 3 });
    expect(recomputed.record.review).toBeUndefined();
  });

  it('refuses to recompute an approved month and leaves it unchanged', async () => {
    const approved = await approveMonth('2025-01');
    facts.miss('2025-01', 'tsk_late');

    await expect(computeContractMonth(deps, finance, ref('2025-01'))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(tenantId, contractId, '2025-01')).toEqual(approved);
  });

  it('lets only finance (or the system close) compute', async () => {
    await expect(computeContractMonth(deps, procurement, ref('2025-01'))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(computeContractMonth(deps, ownContractor, ref('2025-01'))).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.writes).toBe(0);
  });

  it('refuses a month the contract was not in force or a never-activated contract (422), and an unknown contract (404)', async () => {
    await expect(computeContractMonth(deps, finance, ref('2024-12'))).rejects.toMatchObject({ name: 'RuleViolationError' });
    const draftDeps: StatementDeps = { ...deps, contracts: { get: async () => ({ ...contract, status: 'draft' }) } };
    await expect(computeContractMonth(draftDeps, finance, ref('2025-01'))).rejects.toMatchObject({ name: 'RuleViolationError', reasons: ['contract_draft'] });
    await expect(computeContractMonth(deps, finance, { ...ref('2025-01'), contractId: 'con_01JNQ0000000000000000000ZZ' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('lifecycle', () => {
  it('goes draft → reviewed → approved → paid, stamping who and when', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));

    const reviewed = await reviewStatement(deps, finance, ref('2025-01'), record.version, { reason: '核对无误' });
    const approved = await approveStatement(deps, finance2, ref('2025-01'), reviewed.version);
    const paid = await recordStatementPayment(deps, finance, ref('2025-01'), approved.version, { reference: 'ZF-2025-02-0117', paidOn: '2025-02-10' });

    expect(reviewed).toMatchObject({ status: 'reviewed', version: 2, review: { by: 'usr_finance_zhao', at: '2025-04-01T02:00:00.000Z', reason: '核对无误' } });
    expect(approved).toMatchObject({ status: 'approved', version: 3, approval: { by: 'usr_finance_qian' } });
    expect(paid).toMatchObject({ status: 'paid', version: 4, payment: { reference: 'ZF-2025-02-0117', paidOn: '2025-02-10', by: 'usr_finance_zhao' } });
    expect(paid.statement).toEqual(record.statement);
  });

  it('refuses approval of a draft (review first) and a stale If-Match', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));

    await expect(approveStatement(deps, finance, ref('2025-01'), record.version)).rejects.toBeInstanceOf(ConflictError);
    await expect(reviewStatement(deps, finance, ref('2025-01'), record.version + 1)).rejects.toBeInstanceOf(StaleVersionError);
  });

  it('of two approvals of the same version, exactly one succeeds', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-01'), record.version);

    const results = await Promise.allSettled([approveStatement(deps, finance3, ref('2025-01'), reviewed.version), approveStatement(deps, finance2, ref('2025-01'), reviewed.version)]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((result) => result.status === 'rejected');
    expect(failure?.status === 'rejected' && (failure.reason instanceof StaleVersionError || failure.reason instanceof ConflictError)).toBe(true);
  });

  it('never changes an approved statement: a second review, approval or recompute is refused', async () => {
    const approved = await approveMonth('2025-01');

    await expect(reviewStatement(deps, finance, ref('2025-01'), approved.version)).rejects.toBeInstanceOf(ConflictError);
    await expect(approveStatement(deps, finance, ref('2025-01'), approved.version)).rejects.toBeInstanceOf(ConflictError);
    await expect(computeContractMonth(deps, 'system', ref('2025-01'))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(tenantId, contractId, '2025-01')).toEqual(approved);
  });

  it('refuses to compute a month that has not begun in the tenant zone (422 naming params.month), and computes and reviews the running month', async () => {
    // Act
    const future = computeContractMonth(deps, finance, ref('2025-05'));
    const running = await computeContractMonth(deps, finance, ref('2025-04'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-04'), running.record.version);

    // Assess
    await expect(future).rejects.toMatchObject({ name: 'RuleViolationError', fields: ['params.month'], reasons: ['2025-05 has not begun: today is 2025-04-01 in Asia/Shanghai'] });
    await expect(computeContractMonth(deps, 'system', ref('2027-06'))).rejects.toMatchObject({ name: 'RuleViolationError', fields: ['params.month'] });
    await expect(future).rejects.toMatchObject({ zh: expect.stringContaining('2025-05 尚未开始') });
    expect(reviewed.status).toBe('reviewed');
    expect(await store.get(tenantId, contractId, '2025-05')).toBeUndefined();
  });

  it('refuses approval of the running month (409, rule approval-after-month-end) and leaves it reviewed', async () => {
    // Prepare
    const { record } = await computeContractMonth(deps, finance, ref('2025-04'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-04'), record.version);

    // Act
    const approval = approveStatement(deps, finance2, ref('2025-04'), reviewed.version);

    // Assess
    await expect(approval).rejects.toBeInstanceOf(ConflictError);
    await expect(approval).rejects.toMatchObject({
      rules: ['approval-after-month-end'],
      message: expect.stringContaining('2025-04 has not ended in Asia/Shanghai (today is 2025-04-01)'),
      zh: expect.stringContaining('2025-04 在 Asia/Shanghai 尚未结束'),
    });
    expect(await store.get(tenantId, contractId, '2025-04')).toEqual(reviewed);
  });

  it('counts the end of the month in the tenant zone: March approvable at 00:30 on 1 April in Shanghai, not at 23:59 on 31 March', async () => {
    // Prepare: March reviewed; two clocks eight hours from UTC's idea of the date.
    const { record } = await computeContractMonth(deps, finance, ref('2025-03'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-03'), record.version);
    const lastMinute = { ...deps, clock: new FixedClock('2025-03-31T15:59:00.000Z') };
    const justAfter = { ...deps, clock: new FixedClock('2025-03-31T16:30:00.000Z') };

    // Act
    const early = approveStatement(lastMinute, finance2, ref('2025-03'), reviewed.version);
    await expect(early).rejects.toMatchObject({ rules: ['approval-after-month-end'] });
    const approved = await approveStatement(justAfter, finance2, ref('2025-03'), reviewed.version);

    // Assess
    expect(approved.status).toBe('approved');
  });

  it('four eyes: the reviewer cannot approve, the approver cannot record the payment (409 naming the rule and the user)', async () => {
    // Prepare
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-01'), record.version);

    // Act
    const byReviewer = approveStatement(deps, finance, ref('2025-01'), reviewed.version);
    await expect(byReviewer).rejects.toMatchObject({ rules: ['reviewer-not-approver'], message: expect.stringContaining('user usr_finance_zhao reviewed it'), zh: expect.stringContaining('用户 usr_finance_zhao 复核了该结算单') });
    const approved = await approveStatement(deps, finance2, ref('2025-01'), reviewed.version);
    const byApprover = recordStatementPayment(deps, finance2, ref('2025-01'), approved.version, { reference: 'ZF-1', paidOn: '2025-04-01' });
    await expect(byApprover).rejects.toMatchObject({ rules: ['approver-not-payer'], message: expect.stringContaining('user usr_finance_qian approved it'), zh: expect.stringContaining('用户 usr_finance_qian 审批了该结算单') });
    const paid = await recordStatementPayment(deps, finance, ref('2025-01'), approved.version, { reference: 'ZF-1', paidOn: '2025-04-01' });

    // Assess: the reviewer may record the payment (only the approver may not).
    expect(paid).toMatchObject({ status: 'paid', review: { by: 'usr_finance_zhao' }, approval: { by: 'usr_finance_qian' }, payment: { by: 'usr_finance_zhao' } });
  });

  it('names every rule broken at once: the reviewer approving the running month', async () => {
    // Prepare
    const { record } = await computeContractMonth(deps, finance, ref('2025-04'));
    const reviewed = await reviewStatement(deps, finance, ref('2025-04'), record.version);

    // Act
    const approval = approveStatement(deps, finance, ref('2025-04'), reviewed.version);

    // Assess
    await expect(approval).rejects.toMatchObject({ rules: ['reviewer-not-approver', 'approval-after-month-end'] });
  });

  it('lets only finance review and approve', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));
    await expect(reviewStatement(deps, procurement, ref('2025-01'), record.version)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(reviewStatement(deps, ownContractor, ref('2025-01'), record.version)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('adjustments from approved months', () => {
  it('carries a late correction of an approved month into the next month once, with its source', async () => {
    // Prepare: January approved with no misses; then a January miss is recorded late.
    await approveMonth('2025-01');
    facts.miss('2025-01', 'tsk_jan_late');

    // Act: February is computed.
    const { record: february } = await computeContractMonth(deps, finance, ref('2025-02'));

    // Assess: January as approved: score 100, base 1 000 000 + bonus 10 000, retention 50 500
    // → net 959 500. Recomputed: score 99 (bonus unchanged), fines 10 000, retention 50 000
    // → net 950 000: adjustment −9 500, naming the approved statement and the task.
    const adjustment = february.statement.lines.find((line) => line.key === 'adjustment/2025-01');
    expect(adjustment?.amountFen).toBe(-9_500);
    expect(adjustment?.sources.statementRefs).toEqual([`${contractId}/2025-01/v1`]);
    expect(adjustment?.sources.taskIds).toEqual(['tsk_jan_late']);
    expect(february.statement.totals.adjustmentsFen).toBe(-9_500);

    // Act: February approved with it; March computed with no new January facts.
    const reviewed = await reviewStatement(deps, finance, ref('2025-02'), february.version);
    await approveStatement(deps, finance2, ref('2025-02'), reviewed.version);
    const { record: march } = await computeContractMonth(deps, finance, ref('2025-03'));

    // Assess: carried once — March has no January adjustment.
    expect(lineAmount(march, 'adjustment/2025-01')).toBeUndefined();
    expect(march.statement.totals.adjustmentsFen).toBe(0);
  });

  it('carries only the remainder when more evidence about the month arrives after the first adjustment was approved', async () => {
    await approveMonth('2025-01');
    facts.miss('2025-01', 'tsk_jan_1');
    await approveMonth('2025-02'); // carries −9 500 for January
    facts.miss('2025-01', 'tsk_jan_2');

    const { record: march } = await computeContractMonth(deps, finance, ref('2025-03'));

    // January now: fines 20 000, retention 49 500, net 940 500; approved 959 500 → −19 000
    // in all, of which February carried −9 500: March carries the other −9 500.
    expect(lineAmount(march, 'adjustment/2025-01')).toBe(-9_500);
    expect(march.statement.lines.find((line) => line.key === 'adjustment/2025-01')?.sources.statementRefs).toEqual([`${contractId}/2025-01/v1`, `${contractId}/2025-02/v1`]);
  });

  it('leaves the correction to the first open month: a later month does not carry it while an earlier one is open', async () => {
    await approveMonth('2025-01');
    await computeContractMonth(deps, finance, ref('2025-02')); // February open (draft)
    facts.miss('2025-01', 'tsk_jan_late');

    const { record: march } = await computeContractMonth(deps, finance, ref('2025-03'));
    const { record: february } = await computeContractMonth(deps, finance, ref('2025-02'));

    expect(lineAmount(march, 'adjustment/2025-01')).toBeUndefined();
    expect(lineAmount(february, 'adjustment/2025-01')).toBe(-9_500);
  });
});

describe('reading', () => {
  it('shows a contractor its own statement only once approved (404 before, 404 for another contractor)', async () => {
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));

    await expect(getStatement(deps, ownContractor, ref('2025-01'))).rejects.toBeInstanceOf(NotFoundError);
    const reviewed = await reviewStatement(deps, finance, ref('2025-01'), record.version);
    await approveStatement(deps, finance2, ref('2025-01'), reviewed.version);

    expect((await getStatement(deps, ownContractor, ref('2025-01'))).status).toBe('approved');
    await expect(getStatement(deps, otherContractor, ref('2025-01'))).rejects.toBeInstanceOf(NotFoundError);
    expect((await getStatement(deps, procurement, ref('2025-01'))).status).toBe('approved');
  });

  it('answers a kept computation with ?version= and 404 for one that does not exist', async () => {
    await computeContractMonth(deps, finance, ref('2025-01'));
    facts.miss('2025-01', 'tsk_a1');
    await computeContractMonth(deps, finance, ref('2025-01'));

    expect((await getStatement(deps, finance, { ...ref('2025-01'), computeVersion: 1 })).computeVersion).toBe(1);
    await expect(getStatement(deps, finance, { ...ref('2025-01'), computeVersion: 7 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('expands a line into its sources with what the stored facts say of each', async () => {
    facts.miss('2025-01', 'tsk_a1');
    facts.miss('2025-01', 'tsk_a2');
    await computeContractMonth(deps, finance, ref('2025-01'));

    const expanded = await expandStatementLine(deps, finance, { ...ref('2025-01'), lineKey: 'fines_missed_tasks' });

    expect(expanded.line.amountFen).toBe(-20_000);
    expect(expanded.sources.taskIds).toEqual([
      { id: 'tsk_a1', activity: 'sweep', segmentId: 'seg_n4j7w2q8e5r3t6yu', pointsX100: 100, fineFen: 10_000, date: '2025-01-01' },
      { id: 'tsk_a2', activity: 'sweep', segmentId: 'seg_n4j7w2q8e5r3t6yu', pointsX100: 100, fineFen: 10_000, date: '2025-01-02' },
    ]);
    await expect(expandStatementLine(deps, finance, { ...ref('2025-01'), lineKey: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('expands an adjustment line into the records of the month it corrects, not of the month carrying it', async () => {
    // Prepare: January approved; a January miss recorded late; February carries it.
    await approveMonth('2025-01');
    facts.miss('2025-01', 'tsk_jan_late');
    await computeContractMonth(deps, finance, ref('2025-02'));

    // Act
    const expanded = await expandStatementLine(deps, finance, { ...ref('2025-02'), lineKey: 'adjustment/2025-01' });

    // Assess: the task with its January date, and the approved statement it corrects.
    expect(expanded.line.amountFen).toBe(-9_500);
    expect(expanded.sources.taskIds).toEqual([{ id: 'tsk_jan_late', activity: 'sweep', segmentId: 'seg_n4j7w2q8e5r3t6yu', pointsX100: 100, fineFen: 10_000, date: '2025-01-01' }]);
    expect(expanded.sources.statementRefs).toEqual([{ id: `${contractId}/2025-01/v1` }]);
  });

  it('expands a line of an older computation from that computation, and a derived line into the lines it derives from', async () => {
    // Prepare: v1 with one miss, v2 with two.
    facts.miss('2025-01', 'tsk_a1');
    await computeContractMonth(deps, finance, ref('2025-01'));
    facts.miss('2025-01', 'tsk_a2');
    const { record: second } = await computeContractMonth(deps, finance, ref('2025-01'));

    // Act
    const old = await expandStatementLine(deps, finance, { ...ref('2025-01'), computeVersion: 1, lineKey: 'fines_missed_tasks' });
    const retention = await expandStatementLine(deps, finance, { ...ref('2025-01'), lineKey: 'retention' });

    // Assess
    expect(old.computeVersion).toBe(1);
    expect(old.line.amountFen).toBe(-10_000);
    expect(old.sources.taskIds?.map((task) => task.id)).toEqual(['tsk_a1']);
    const bonus = second.statement.lines.find((line) => line.key === 'bonus')!;
    expect(retention.sources.lineKeys).toContainEqual({ id: 'bonus', code: 'bonus', labelZh: '考核奖励', labelEn: 'Quality bonus', amountFen: bonus.amountFen });
    expect(retention.sources.lineKeys?.map((entry) => entry.id)).toContain('fines_missed_tasks');
  });

  it('lists a tenant-month for finance, not for a contractor', async () => {
    await computeContractMonth(deps, finance, ref('2025-01'));

    const page = await listStatements(deps, finance, { tenantId, month: '2025-01' });

    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ contractId, netFen: 959_500, status: 'draft' });
    await expect(listStatements(deps, ownContractor, { tenantId, month: '2025-01' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('computeContractMonth keeps the assessment (issue 15)', () => {
  it('stores the KPIs, categories and segments with the computation, outside the inputs digest', async () => {
    // Prepare: one missed sweep of 100 due in January.
    facts.miss('2025-01', 'tsk_a1');

    // Act
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));

    // Assess: 99 of 100 tasks done = 99.00 %; the miss costs 1.00 point and ¥100.00 on its segment.
    expect(record.assessment?.kpis.taskCompletion).toMatchObject({ numerator: 99, denominator: 100, rateBps: 9_900 });
    expect(record.assessment?.kpis.onTimeRectification.rateBps).toBeNull();
    expect(record.assessment?.categories).toEqual([{ category: 'missed_tasks', occurrences: 1, rawX100: 100, capX100: null, countedX100: 100, excessX100: 0, fineFen: 10_000 }]);
    expect(record.assessment?.segments).toEqual([{ segmentId: 'seg_n4j7w2q8e5r3t6yu', findings: 0, validComplaints: 0, lateOrders: 0, missedTasks: 1, rawX100: 100, countedX100: 100, fineFen: 10_000 }]);
    expect(record.assessment?.scoreX100).toBe(record.statement.scoreX100);
    const kept = await store.getComputation(tenantId, contractId, '2025-01', 1);
    expect(kept?.record.assessment).toEqual(record.assessment);
    expect(JSON.stringify(kept?.inputs)).not.toContain('"kpis"');
  });

  it('leaves a record computed before assessments were kept as it is when its facts are unchanged (200, nothing written)', async () => {
    // Prepare: a stored record as the code before issue 15 wrote it: the same digest, no assessment.
    facts.miss('2025-01', 'tsk_a1');
    const { record } = await computeContractMonth(deps, finance, ref('2025-01'));
    const { assessment: _kept, ...legacy } = record;
    store.current.set(`${tenantId}/${contractId}/2025-01`, legacy);

    // Act
    const again = await computeContractMonth(deps, 'system', ref('2025-01'));

    // Assess: the digest still matches, so nothing is recomputed or written.
    expect(again.changed).toBe(false);
    expect(again.record.assessment).toBeUndefined();
    expect(again.record.inputsDigest).toBe(record.inputsDigest);
    expect(store.writes).toBe(1);
  });
});
