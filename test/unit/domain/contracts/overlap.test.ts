import { describe, expect, it } from 'vitest';
import { describeConflicts, scopeConflicts, segmentPeriods } from '../../../../domain/contracts/overlap';
import { amendTerms, type AmendmentContext } from '../../../../domain/contracts/terms';
import { actors, contractFixture, huanjie, lvyuan, seg } from './fixtures';

const context: AmendmentContext = {
  today: '2025-03-05',
  amendmentId: 'amd_01jnq000000000000000000002',
  at: new Date('2025-03-05T02:00:00Z'),
  by: actors.procurement.userId,
};

/** 环杰's 2025 cleaning contract on 南京西路 and 石门一路. */
const holder = (): ReturnType<typeof contractFixture> =>
  contractFixture({ contractId: 'con_01jnq000000000000000000a01', status: 'active', contractorId: huanjie, startDate: '2025-03-01', endDate: '2025-12-31', scope: [seg.nanjingWest, seg.shimenOne] });

/** 绿源's candidate on 石门一路 and 威海路 from April. */
const candidate = (): ReturnType<typeof contractFixture> =>
  contractFixture({ contractId: 'con_01jnq000000000000000000b01', status: 'draft', contractorId: lvyuan, startDate: '2025-04-01', endDate: '2026-03-31', scope: [seg.shimenOne, seg.weihai] });

describe('scopeConflicts', () => {
  it('names the shared segment, the other contract and the overlapping dates', () => {
    const conflicts = scopeConflicts(candidate(), [holder()]);

    expect(conflicts).toEqual([{ segmentId: seg.shimenOne, otherContractId: 'con_01jnq000000000000000000a01', overlapFrom: '2025-04-01', overlapTo: '2025-12-31' }]);
  });

  it('ignores contracts of another service type', () => {
    const greening = contractFixture({ status: 'active', serviceType: 'greening', scope: [seg.shimenOne] });

    expect(scopeConflicts(candidate(), [greening])).toEqual([]);
  });

  it('counts a suspended contract as still holding its segments', () => {
    const suspended = { ...holder(), status: 'suspended' as const };

    expect(scopeConflicts(candidate(), [suspended])).toHaveLength(1);
  });

  it.each(['draft', 'terminated', 'expired'] as const)('ignores a %s contract', (status) => {
    const other = { ...holder(), status };

    expect(scopeConflicts(candidate(), [other])).toEqual([]);
  });

  it('ignores the candidate itself among the others (an amendment re-checks its own contract)', () => {
    const self = holder();

    expect(scopeConflicts(self, [self])).toEqual([]);
  });

  it('finds no overlap between a contract ending on the 31st and one starting on the 1st', () => {
    const ending = contractFixture({ status: 'active', startDate: '2024-04-01', endDate: '2025-03-31', scope: [seg.shimenOne] });

    expect(scopeConflicts(candidate(), [ending])).toEqual([]);
  });

  it("stops the overlap where the other contract's terms drop the segment", () => {
    // Prepare: 环杰 hands 石门一路 over from 16 April.
    const handedOver = amendTerms(
      holder(),
      { effectiveFrom: '2025-04-16', reason: '石门一路移交', approvedBy: '区市容局 王建国', approvedAt: '2025-03-04', scope: [seg.nanjingWest] },
      context,
    );
    // Act
    const conflicts = scopeConflicts(candidate(), [handedOver]);
    // Assess
    expect(conflicts.map((c) => [c.overlapFrom, c.overlapTo])).toEqual([['2025-04-01', '2025-04-15']]);
  });

  it('finds no overlap once the other contract dropped the segment before the candidate starts', () => {
    const handedOver = amendTerms(
      holder(),
      { effectiveFrom: '2025-03-16', reason: '石门一路移交', approvedBy: '区市容局 王建国', approvedAt: '2025-03-04', scope: [seg.nanjingWest] },
      context,
    );

    expect(scopeConflicts(candidate(), [handedOver])).toEqual([]);
  });

  it("starts the overlap where the candidate's own amendment adds the segment", () => {
    // Prepare: the candidate takes on 南京西路 from 20 May.
    const widened = amendTerms(
      candidate(),
      { effectiveFrom: '2025-05-20', reason: '新增南京西路', approvedBy: '区市容局 王建国', approvedAt: '2025-03-04', scope: [seg.shimenOne, seg.weihai, seg.nanjingWest] },
      context,
    );
    // Act
    const conflicts = scopeConflicts(widened, [holder()]).filter((c) => c.segmentId === seg.nanjingWest);
    // Assess
    expect(conflicts.map((c) => [c.overlapFrom, c.overlapTo])).toEqual([['2025-05-20', '2025-12-31']]);
  });
});

describe('segmentPeriods', () => {
  it('merges a segment kept across versions into one range', () => {
    const amended = amendTerms(
      holder(),
      { effectiveFrom: '2025-03-16', reason: '石门一路移交', approvedBy: '区市容局 王建国', approvedAt: '2025-03-04', scope: [seg.nanjingWest] },
      context,
    );

    const periods = segmentPeriods(amended);

    expect([periods.get(seg.nanjingWest), periods.get(seg.shimenOne)]).toEqual([
      [{ from: '2025-03-01', to: '2025-12-31' }],
      [{ from: '2025-03-01', to: '2025-03-15' }],
    ]);
  });
});

describe('describeConflicts', () => {
  it('says which segment is held by which contract and when', () => {
    const text = describeConflicts(scopeConflicts(candidate(), [holder()]));

    expect(text).toBe(`segment ${seg.shimenOne} is already in scope of contract con_01jnq000000000000000000a01 from 2025-04-01 to 2025-12-31`);
  });
});
