import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import type { Contract } from '../../../../domain/contracts/schema';
import { amendTerms, termsAsOf, termsPeriods, versionDiff, type AmendmentContext, type AmendmentRequest } from '../../../../domain/contracts/terms';
import { templateById, rulebookFromTemplate } from '../../../../domain/rulebooks/templates';
import { actors, contractFixture, seg } from './fixtures';

const context = (overrides: Partial<AmendmentContext> = {}): AmendmentContext => ({
  today: '2025-03-05',
  amendmentId: 'amd_01jnq000000000000000000001',
  at: new Date('2025-03-05T02:00:00Z'),
  by: actors.procurement.userId,
  ...overrides,
});

/** 南京西路 and 石门一路 from 1 March; 石门一路 handed over, 威海路 taken on from the 16th. */
const scopeFromThe16th: AmendmentRequest = {
  effectiveFrom: '2025-03-16',
  reason: '石门一路移交市政养护,新增威海路',
  approvedBy: '静安区绿化和市容管理局 王建国',
  approvedAt: '2025-03-04',
  scope: [seg.nanjingWest, seg.weihai],
};

function activeContract(): Contract {
  return contractFixture({ status: 'active', startDate: '2025-03-01', endDate: '2025-12-31', scope: [seg.nanjingWest, seg.shimenOne] });
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('termsAsOf', () => {
  it('answers the original terms on the start date', () => {
    const contract = activeContract();

    expect(termsAsOf(contract, '2025-03-01')?.termsVersion).toBe(1);
  });

  it('answers nothing before the start date', () => {
    const contract = activeContract();

    expect(termsAsOf(contract, '2025-02-28')).toBeUndefined();
  });

  it('answers the terms on the end date (inclusive) and nothing after it', () => {
    const contract = activeContract();

    expect([termsAsOf(contract, '2025-12-31')?.termsVersion, termsAsOf(contract, '2026-01-01')]).toEqual([1, undefined]);
  });

  it('answers the old scope on the 10th after a scope amendment from the 16th', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    expect(termsAsOf(amended, '2025-03-10')?.scope).toEqual([seg.nanjingWest, seg.shimenOne].sort());
  });

  it('answers the new scope on the 20th after a scope amendment from the 16th', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    expect(termsAsOf(amended, '2025-03-20')?.scope).toEqual([seg.nanjingWest, seg.weihai].sort());
  });

  it('switches exactly on the effective date: the 15th is old, the 16th new', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    expect([termsAsOf(amended, '2025-03-15')?.termsVersion, termsAsOf(amended, '2025-03-16')?.termsVersion]).toEqual([1, 2]);
  });
});

describe('amendTerms', () => {
  it('records the amendment with its approval and the parts it changed', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    expect(amended.versions.at(-1)?.amendment).toEqual({
      amendmentId: 'amd_01jnq000000000000000000001',
      reason: '石门一路移交市政养护,新增威海路',
      approvedBy: '静安区绿化和市容管理局 王建国',
      approvedAt: '2025-03-04',
      changes: ['scope'],
    });
  });

  it('keeps the history: the original version stays as it was', () => {
    const contract = activeContract();

    const amended = amendTerms(contract, scopeFromThe16th, context());

    expect(amended.versions[0]).toEqual(contract.versions[0]);
  });

  it('refuses to back-date an amendment of an active contract', () => {
    const request = { ...scopeFromThe16th, effectiveFrom: '2025-03-01' };

    const error = caught(() => amendTerms(activeContract(), request, context({ today: '2025-03-05' })));

    expect([error instanceof RuleViolationError, (error as RuleViolationError).reasons[0]]).toEqual([
      true,
      'effectiveFrom 2025-03-01 is in the past (today is 2025-03-05): an active contract cannot be amended retroactively; settle past days with an adjustment',
    ]);
  });

  it('lets a draft be amended with a past effective date', () => {
    const draft = contractFixture({ status: 'draft', startDate: '2025-03-01', scope: [seg.nanjingWest, seg.shimenOne] });

    const amended = amendTerms(draft, { ...scopeFromThe16th, effectiveFrom: '2025-03-02' }, context({ today: '2025-03-05' }));

    expect(termsAsOf(amended, '2025-03-02')?.termsVersion).toBe(2);
  });

  it('refuses an effective date before the latest version takes effect', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    const error = caught(() => amendTerms(amended, { ...scopeFromThe16th, effectiveFrom: '2025-03-10', scope: [seg.nanjingWest] }, context()));

    expect((error as RuleViolationError).reasons).toEqual([
      'effectiveFrom 2025-03-10 is before 2025-03-16, when the latest version (2) takes effect: amendments are recorded in date order',
    ]);
  });

  it('lets a second amendment with the same effective date supersede the first', () => {
    const once = amendTerms(activeContract(), scopeFromThe16th, context());

    const twice = amendTerms(once, { ...scopeFromThe16th, scope: [seg.nanjingWest, seg.weihai, seg.maomingNorth] }, context());

    expect([termsAsOf(twice, '2025-03-20')?.termsVersion, termsPeriods(twice).map((period) => period.terms.termsVersion)]).toEqual([3, [1, 3]]);
  });

  it('refuses an effective date after the end date', () => {
    const error = caught(() => amendTerms(activeContract(), { ...scopeFromThe16th, effectiveFrom: '2026-01-01' }, context()));

    expect(error).toBeInstanceOf(RuleViolationError);
  });

  it('refuses an amendment that changes nothing', () => {
    const request = { ...scopeFromThe16th, scope: [seg.shimenOne, seg.nanjingWest] };

    const error = caught(() => amendTerms(activeContract(), request, context()));

    expect(error.message).toMatch(/changes nothing$/);
  });

  it('refuses turning a lump-sum contract into a unit-rate one', () => {
    const request: AmendmentRequest = {
      ...scopeFromThe16th,
      scope: undefined,
      pricing: { kind: 'unit_rate', items: [{ code: 'M-01', nameZh: '清运垃圾', unit: 't', unitFen: 6_900 }] },
    };

    const error = caught(() => amendTerms(activeContract(), request, context()));

    expect(error).toBeInstanceOf(RuleViolationError);
  });

  it('accepts moving a lump sum to a per-m² price', () => {
    const request: AmendmentRequest = { ...scopeFromThe16th, scope: undefined, pricing: { kind: 'lump_sum_per_m2', milliFenPerM2Year: 629_000 } };

    const amended = amendTerms(activeContract(), request, context());

    expect(amended.versions.at(-1)?.amendment?.changes).toEqual(['pricing']);
  });

  it('refuses amending a terminated contract', () => {
    const terminated = contractFixture({ status: 'terminated' });

    const error = caught(() => amendTerms(terminated, scopeFromThe16th, context()));

    expect(error).toBeInstanceOf(ConflictError);
  });

  it('refuses a rulebook of another service type', () => {
    const greening = rulebookFromTemplate(templateById('greening-class1')!);

    const error = caught(() => amendTerms(activeContract(), { ...scopeFromThe16th, scope: undefined, rulebook: greening }, context()));

    expect([error instanceof ValidationError, (error as ValidationError).issues[0]?.path]).toEqual([true, 'rulebook.serviceType']);
  });
});

describe('amendTerms: a rulebook change takes effect on the 1st of a month', () => {
  const stricter = (contract: Contract): Contract['versions'][number]['rulebook'] => {
    const rulebook = contract.versions[0]!.rulebook;
    return { ...rulebook, scoreBands: rulebook.scoreBands.map((band) => ({ ...band, minScoreX100: band.minScoreX100 === 0 ? 0 : band.minScoreX100 + 100 })) };
  };

  it('refuses a rulebook change from the 20th with a 422 reason naming effectiveFrom and the 1st to use', () => {
    const contract = activeContract();

    const error = caught(() => amendTerms(contract, { ...scopeFromThe16th, effectiveFrom: '2025-03-20', scope: undefined, rulebook: stricter(contract) }, context()));

    expect(error).toBeInstanceOf(RuleViolationError);
    expect((error as RuleViolationError).fields).toEqual(['effectiveFrom']);
    expect((error as RuleViolationError).reasons[0]).toContain('2025-04-01');
    expect((error as RuleViolationError).reasonsZh[0]).toContain('2025-04-01');
  });

  it('refuses a mid-month scope change that also changes the rulebook', () => {
    const contract = activeContract();

    const error = caught(() => amendTerms(contract, { ...scopeFromThe16th, rulebook: stricter(contract) }, context()));

    expect((error as RuleViolationError).fields).toEqual(['effectiveFrom']);
  });

  it('accepts a rulebook change from the 1st of next month, and a mid-month change that repeats the same rulebook', () => {
    const contract = activeContract();

    const fromApril = amendTerms(contract, { ...scopeFromThe16th, effectiveFrom: '2025-04-01', scope: undefined, rulebook: stricter(contract) }, context());
    const sameRulebook = amendTerms(contract, { ...scopeFromThe16th, rulebook: contract.versions[0]!.rulebook }, context());

    expect(fromApril.versions[1]?.amendment?.changes).toEqual(['rulebook']);
    expect(sameRulebook.versions[1]?.amendment?.changes).toEqual(['scope']);
  });

  it("accepts a rulebook change on a draft's mid-month start date, which opens its first period", () => {
    const draft = contractFixture({ startDate: '2025-03-16', endDate: '2025-12-31', scope: [seg.nanjingWest] });

    const amended = amendTerms(draft, { ...scopeFromThe16th, effectiveFrom: '2025-03-16', scope: undefined, rulebook: stricter(draft) }, context());

    expect(amended.versions[1]?.effectiveFrom).toBe('2025-03-16');
  });
});

describe('versionDiff', () => {
  it('lists segments added and removed', () => {
    const amended = amendTerms(activeContract(), scopeFromThe16th, context());

    const diff = versionDiff(amended.versions[0]!, amended.versions[1]!);

    expect(diff.scope).toEqual({ added: [seg.weihai], removed: [seg.shimenOne] });
  });

  it('lists rate-card items added, removed and repriced', () => {
    const base = activeContract().versions[0]!;
    const before = { ...base, pricing: { kind: 'unit_rate' as const, items: [
      { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 120_000 },
      { code: 'M-02', nameZh: '人行道板修复', unit: 'm²', unitFen: 18_000 },
    ] } };
    const after = { ...base, pricing: { kind: 'unit_rate' as const, items: [
      { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 115_000 },
      { code: 'M-03', nameZh: '路缘石更换', unit: 'm', unitFen: 9_500 },
    ] } };

    const diff = versionDiff(before, after);

    expect(diff.pricing.items).toEqual({ added: ['M-03'], removed: ['M-02'], changed: ['M-01'] });
  });

  it('names rulebook items that changed', () => {
    const base = activeContract().versions[0]!;
    const stricter = {
      ...base.rulebook,
      defectItems: base.rulebook.defectItems.map((item) => (item.code === 'CL-DRAIN' ? { ...item, pointsX100: 300 } : item)),
    };

    const diff = versionDiff(base, { ...base, rulebook: stricter });

    expect([diff.rulebook.changed, diff.rulebook.itemsChanged]).toEqual([true, ['CL-DRAIN']]);
  });
});
