import { describe, expect, it } from 'vitest';
import type { Contract } from '../../../../domain/contracts/schema';
import type { Page, PageRequest } from '../../../../domain/ports';
import type { MonthResult } from '../../../../domain/payments/ranking';
import {
  listNotices,
  raiseRankingNotices,
  readStandings,
  statementCreditHistory,
  statementMonthResults,
  type MonthResultReader,
  type NoticeStore,
  type RankingNotice,
} from '../../../../domain/payments/standings';
import { contractFixture, MemoryContractStore, tenantId } from '../contracts/fixtures';
import { actorWith } from '../../../helpers/fakes';

/** Month results served from a list, as the statements store would give them per month. */
function resultsOf(results: readonly MonthResult[]): MonthResultReader & { months: string[] } {
  const months: string[] = [];
  return {
    months,
    async monthResults(_tenant, month) {
      months.push(month);
      return results.filter((result) => result.month === month);
    },
  };
}

class MemoryNotices implements NoticeStore {
  readonly stored = new Map<string, RankingNotice>();
  async raise(notices: readonly RankingNotice[]): Promise<readonly RankingNotice[]> {
    const fresh = notices.filter((notice) => !this.stored.has(notice.noticeId));
    for (const notice of fresh) this.stored.set(notice.noticeId, notice);
    return fresh;
  }
  async list(_tenant: string, page: PageRequest): Promise<Page<RankingNotice>> {
    return { items: [...this.stored.values()].slice(0, page.limit) };
  }
}

const procurement = actorWith({ tenantId, roles: ['procurement'] });
const contractor = actorWith({ tenantId, roles: ['contractor'], contractorId: 'ctr_x' });

/** Two cleaning contracts (cleaning rulebook: red ≥ 95, black < 75 after 3 months, review after 5 quarters < 75). */
function district(): { a: Contract; b: Contract; store: MemoryContractStore } {
  const a = contractFixture({ status: 'active', startDate: '2025-01-01', endDate: '2026-12-31' });
  const b = contractFixture({ status: 'active', startDate: '2025-01-01', endDate: '2026-12-31' });
  return { a, b, store: new MemoryContractStore([a, b]) };
}

const result = (contract: Contract, month: string, scoreX100: number, lateOrders = 0): MonthResult => ({
  contractId: contract.contractId,
  contractorId: contract.contractorId,
  serviceType: contract.serviceType,
  month,
  scoreX100,
  lateOrders,
  validComplaints: 0,
});

describe('readStandings', () => {
  it('ranks the month, lists red and warning entries, and reads back as far as the black-list run needs', async () => {
    // Prepare: a at 96.00 (red); b below 75.00 in June only (a warning: black after 3 months).
    const { a, b, store } = district();
    const reader = resultsOf([result(a, '2025-06', 9_600), result(b, '2025-06', 7_000), result(b, '2025-05', 8_000)]);

    // Act
    const standings = await readStandings({ results: reader, contracts: store }, procurement, { month: '2025-06' });

    // Assess
    expect(standings.rankings[0]!.rows.map((row) => [row.rank, row.contractId])).toEqual([
      [1, a.contractId],
      [2, b.contractId],
    ]);
    expect(standings.lists.map((entry) => [entry.list, entry.contractId])).toEqual([
      ['red', a.contractId],
      ['warning', b.contractId],
    ]);
    // June ends Q2: the termination review reads 5 quarters back; the black run 3 months.
    expect(reader.months).toContain('2025-04');
    expect(reader.months).toContain('2024-04');
    expect(standings.terminationReviews).toEqual([]);
  });

  it('filters by service type and refuses contractors and a query naming both periods', async () => {
    const { a, store } = district();
    const deps = { results: resultsOf([result(a, '2025-05', 9_000)]), contracts: store };

    await expect(readStandings(deps, procurement, { month: '2025-05', serviceType: 'greening' })).resolves.toMatchObject({ rankings: [], lists: [] });
    await expect(readStandings(deps, contractor, { month: '2025-05' })).rejects.toThrow('may not ranking:read');
    await expect(readStandings(deps, procurement, { month: '2025-05', quarter: '2025-Q2' })).rejects.toThrow('invalid ranking query');
  });
});

describe('raiseRankingNotices', () => {
  it('raises a black-list notice after three months below 75.00, once however often the close reruns', async () => {
    // Prepare: b at 70.00 for April–June.
    const { a, b, store } = district();
    const results = [result(a, '2025-06', 9_000), ...['2025-04', '2025-05', '2025-06'].map((m) => result(b, m, 7_000))];
    const notices = new MemoryNotices();
    const deps = { results: resultsOf(results), contracts: store, notices, clock: { now: () => new Date('2025-07-01T00:30:00+08:00') } };

    // Act
    const first = await raiseRankingNotices(deps, tenantId, '2025-06');
    const again = await raiseRankingNotices(deps, tenantId, '2025-06');

    // Assess
    expect(first.map((notice) => [notice.noticeId, notice.kind])).toEqual([[`2025-06/black_list/${b.contractId}`, 'black_list']]);
    expect(first[0]!.reason).toContain('3 consecutive month(s)');
    expect(again).toEqual([]);
    await expect(listNotices(deps, procurement, {})).resolves.toMatchObject({ items: first });
    await expect(listNotices(deps, actorWith({ tenantId, roles: ['finance'] }), {})).rejects.toThrow('may not notice:read');
  });
});

describe('statementCreditHistory', () => {
  it("reads the contractor's last 12 closed months in the tenant's zone and scores them with the tenders formula", async () => {
    // Prepare: on 2025-07-01 00:30 Shanghai the last closed month is June; July and a month
    // 13 months back are outside the window. Another contractor's month is not counted.
    const { a, b } = district();
    const reader = resultsOf([
      { ...result(a, '2025-06', 9_000, 2) },
      { ...result(a, '2024-07', 8_000) },
      { ...result(a, '2024-06', 5_000) },
      { ...result(b, '2025-06', 1_000), contractorId: 'ctr_other' },
    ]);
    const credit = statementCreditHistory(reader, { now: () => new Date('2025-06-30T16:30:00Z') }, async () => 'Asia/Shanghai');

    // Act
    const history = await credit.history(tenantId, a.contractorId);

    // Assess
    expect(history).toEqual({
      monthlyScores: [
        { month: '2024-07', scoreX100: 8_000 },
        { month: '2025-06', scoreX100: 9_000 },
      ],
      lateRectifications: 2,
      validComplaints: 0,
      months: 2,
    });
    expect(reader.months).toHaveLength(12);
    expect(reader.months).not.toContain('2025-07');
  });
});

describe('statementMonthResults', () => {
  it("takes late orders and complaints from a record's kept assessment, reading a computation only for a record without one", async () => {
    // Prepare: one record with its assessment kept (issue 15), one computed before.
    const base = { tenantId, serviceType: 'cleaning' as const, month: '2025-03', version: 1, computeVersion: 1, status: 'draft' as const, inputsDigest: '0'.repeat(64), computedAt: '2025-04-01T00:00:00.000Z', computedBy: 'system', netFen: 0, scoreX100: 9_000 };
    const counts = { findings: 0, missedTasks: 0, lateOrders: 2, validComplaints: 1 };
    const kept = { ...base, contractId: 'con_kept', contractorId: 'ctr_a', assessment: { scoreX100: 9_000, kpis: {} as never, categories: [], segments: [], counts } };
    const older = { ...base, contractId: 'con_older', contractorId: 'ctr_b' };
    const computations: string[] = [];
    const reader = statementMonthResults({
      listMonth: async () => ({ items: [kept, older] }),
      getComputation: async (_t, contractId) => {
        computations.push(contractId);
        return { record: older as never, inputs: { monthFacts: { facts: { lateOrders: [{}], validComplaints: [] } } } as never };
      },
    });

    // Act
    const results = await reader.monthResults(tenantId, '2025-03');

    // Assess
    expect(results.map((r) => [r.contractId, r.lateOrders, r.validComplaints])).toEqual([
      ['con_kept', 2, 1],
      ['con_older', 1, 0],
    ]);
    expect(computations).toEqual(['con_older']);
  });
});
