import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Rulebook, type RulebookFields } from '../../../../domain/rulebooks/schema';
import { validateRulebook } from '../../../../domain/rulebooks/validate';

/** A small sound cleaning rulebook with the DESIGN §3 example bands. */
function rulebook(overrides: Partial<RulebookFields> = {}): RulebookFields {
  return {
    name: '道路保洁考核办法',
    serviceType: 'cleaning',
    version: 1,
    defectItems: [
      { code: 'CL-LITTER', category: 'road_cleanliness', descriptionZh: '路面有果皮、纸屑等可见垃圾', pointsX100: 200, fineFen: 0, rectify: { hours: 1, mode: 'deduct' } },
      { code: 'CL-DRAIN', category: 'road_cleanliness', descriptionZh: '将垃圾扫入雨水口', pointsX100: 200, fineFen: 20_000 },
    ],
    missedTasks: { defaultPrice: { pointsX100: 50, fineFen: 0 }, byActivity: [{ activity: 'sweep', pointsX100: 100, fineFen: 10_000 }] },
    latePenalty: { sameAsDefect: true },
    complaint: { pointsX100: 200 },
    categoryCaps: [{ category: 'complaints', capX100: 1_000 }],
    scoreBands: [
      { minScoreX100: 9_500, coefficientBps: 10_000 },
      { minScoreX100: 9_000, coefficientBps: 9_800 },
      { minScoreX100: 8_000, coefficientBps: 9_500 },
      { minScoreX100: 6_000, coefficientBps: 9_000 },
      { minScoreX100: 0, coefficientBps: 8_000 },
    ],
    deductionCapBps: 2_000,
    retentionBps: 500,
    listing: {},
    spotCheckPlan: [],
    protocols: {},
    ...overrides,
  };
}

const paths = (fields: RulebookFields): string[] => validateRulebook(fields).map((issue) => issue.path);

describe('score bands', () => {
  it('accepts the DESIGN example bands', () => {
    // Prepare
    const fields = rulebook();
    // Act
    const issues = validateRulebook(fields);
    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts bands listed in any order, judging them by threshold', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 0, coefficientBps: 8_000 },
        { minScoreX100: 9_500, coefficientBps: 10_000 },
        { minScoreX100: 8_000, coefficientBps: 9_500 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([]);
  });

  it('refuses a gap at the bottom: without a band at 0 low scores have no coefficient', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 9_000, coefficientBps: 10_000 },
        { minScoreX100: 6_000, coefficientBps: 9_000 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([
      { path: 'scoreBands', message: 'no band starts at 0.00, so scores from 0.00 to 59.99 have none: the lowest band must be ≥ 0.00' },
    ]);
  });

  it('refuses a rulebook whose only band is missing the 0 threshold', () => {
    const fields = rulebook({ scoreBands: [{ minScoreX100: 8_000, coefficientBps: 10_000 }] });

    const issues = validateRulebook(fields);

    expect(issues.map((issue) => issue.path)).toEqual(['scoreBands']);
  });

  it('refuses overlapping bands that share a threshold, naming the second', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 9_000, coefficientBps: 10_000 },
        { minScoreX100: 8_000, coefficientBps: 9_500 },
        { minScoreX100: 0, coefficientBps: 8_000 },
        { minScoreX100: 9_000, coefficientBps: 9_800 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues).toContainEqual({
      path: 'scoreBands.3.minScoreX100',
      message: 'scoreBands.0 already starts at ≥ 90.00: two bands with the same threshold overlap (bands are "≥ min" thresholds; each min once)',
    });
  });

  it('refuses a coefficient that rises as the score falls, naming the band and both figures', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 9_500, coefficientBps: 10_000 },
        { minScoreX100: 9_000, coefficientBps: 9_800 },
        { minScoreX100: 8_000, coefficientBps: 9_900 },
        { minScoreX100: 0, coefficientBps: 8_000 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([
      {
        path: 'scoreBands.2.coefficientBps',
        message: 'coefficient 9900 for ≥ 80.00 is higher than 9800 for ≥ 90.00: a lower score may not pay more',
      },
    ]);
  });

  it('requires a bonus cap when a band rewards above 10000', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 9_800, coefficientBps: 10_200 },
        { minScoreX100: 9_000, coefficientBps: 10_000 },
        { minScoreX100: 0, coefficientBps: 9_000 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues.map((issue) => issue.path)).toEqual(['bonusCapBps']);
  });

  it('accepts a reward band with a bonus cap', () => {
    const fields = rulebook({
      scoreBands: [
        { minScoreX100: 9_800, coefficientBps: 10_200 },
        { minScoreX100: 0, coefficientBps: 9_000 },
      ],
      bonusCapBps: 200,
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([]);
  });
});

describe('defect items', () => {
  it('refuses a duplicate code, naming the later item and the first', () => {
    const fields = rulebook({
      defectItems: [
        { code: 'CL-LITTER', category: 'road_cleanliness', descriptionZh: '路面有可见垃圾', pointsX100: 200, fineFen: 0 },
        { code: 'CL-LITTER', category: 'road_cleanliness', descriptionZh: '路面垃圾堆积', pointsX100: 400, fineFen: 0 },
      ],
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([{ path: 'defectItems.1.code', message: "code 'CL-LITTER' is already used by defectItems.0: codes must be unique" }]);
  });

  it('refuses a reserved score category on a defect item', () => {
    const fields = rulebook({
      defectItems: [{ code: 'CL-12345', category: 'complaints', descriptionZh: '市民投诉', pointsX100: 200, fineFen: 0 }],
    });

    expect(paths(fields)).toEqual(['defectItems.0.category']);
  });

  it('refuses an item that costs nothing and raises no order', () => {
    const fields = rulebook({
      defectItems: [{ code: 'CL-NOTE', category: 'operations', descriptionZh: '备注', pointsX100: 0, fineFen: 0 }],
    });

    expect(paths(fields)).toEqual(['defectItems.0']);
  });

  it('refuses a repeat multiplier that does not raise the price', () => {
    const fields = rulebook({
      defectItems: [
        { code: 'CL-DRAIN', category: 'road_cleanliness', descriptionZh: '将垃圾扫入雨水口', pointsX100: 200, fineFen: 0, escalation: { kind: 'multiplier', multiplierBps: 8_000 } },
      ],
    });

    expect(paths(fields)).toEqual(['defectItems.0.escalation.multiplierBps']);
  });
});

describe('other sections', () => {
  it('refuses pricing the same activity twice for missed tasks', () => {
    const fields = rulebook({
      missedTasks: {
        defaultPrice: { pointsX100: 50, fineFen: 0 },
        byActivity: [
          { activity: 'sweep', pointsX100: 100, fineFen: 0 },
          { activity: 'sweep', pointsX100: 200, fineFen: 0 },
        ],
      },
    });

    expect(paths(fields)).toEqual(['missedTasks.byActivity.1.activity']);
  });

  it('refuses a late penalty that is both "the defect again" and an amount', () => {
    const fields = rulebook({ latePenalty: { sameAsDefect: true, pointsX100: 100 } });

    expect(paths(fields)).toEqual(['latePenalty.pointsX100']);
  });

  it('refuses a late penalty that states nothing', () => {
    const fields = rulebook({ latePenalty: { sameAsDefect: false } });

    expect(paths(fields)).toEqual(['latePenalty']);
  });

  it('refuses a cap on a category no item has', () => {
    const fields = rulebook({ categoryCaps: [{ category: 'greening', capX100: 1_000 }] });

    expect(paths(fields)).toEqual(['categoryCaps.0.category']);
  });

  it('refuses a complaints cap below what one complaint costs', () => {
    const fields = rulebook({ categoryCaps: [{ category: 'complaints', capX100: 100 }] });

    expect(paths(fields)).toEqual(['categoryCaps.0.capX100']);
  });

  it('refuses a red-list threshold at or below the black-list one', () => {
    const fields = rulebook({ listing: { redAtOrAboveX100: 7_000, blackBelowX100: 7_500 } });

    expect(paths(fields)).toEqual(['listing.redAtOrAboveX100']);
  });

  it('refuses two spot-check quotas for the same flag and grade', () => {
    const fields = rulebook({
      spotCheckPlan: [
        { flag: 'strict', count: 1 },
        { flag: 'strict', count: 2 },
      ],
    });

    expect(paths(fields)).toEqual(['spotCheckPlan.1']);
  });

  it('refuses sample-score weights that do not reach 100 at the maximum rating', () => {
    const fields = rulebook({
      protocols: {
        sampleScore: {
          standard: 'CJJ/T 126-2022',
          maxItemScore: 5,
          items: [
            { key: 'overall', nameZh: '整体清洁', weight: 6 },
            { key: 'surface', nameZh: '路面见本色', weight: 6 },
            { key: 'edges', nameZh: '路沿、边角', weight: 4 },
          ],
          deductions: [{ minScoreX100: 0, pointsX100: 0 }],
        },
      },
    });

    const issues = validateRulebook(fields);

    expect(issues).toEqual([
      {
        path: 'protocols.sampleScore.items',
        message: 'weights add up to 16; times the maximum item score 5 that is 80, not 100: a sample score must run 0–100 (CJJ/T 126: 6+6+4+4 = 20, x 5)',
      },
    ]);
  });

  it('refuses a sample-score deduction that falls as the sample gets dirtier', () => {
    const fields = rulebook({
      protocols: {
        sampleScore: {
          standard: 'CJJ/T 126-2022',
          maxItemScore: 5,
          items: [{ key: 'overall', nameZh: '整体清洁', weight: 20 }],
          deductions: [
            { minScoreX100: 9_000, pointsX100: 0 },
            { minScoreX100: 8_000, pointsX100: 200 },
            { minScoreX100: 0, pointsX100: 100 },
          ],
        },
      },
    });

    expect(paths(fields)).toEqual(['protocols.sampleScore.deductions.2.pointsX100']);
  });

  it('refuses a dust-by-weight protocol pointing at no defect item', () => {
    const fields = rulebook({ protocols: { dustByWeight: { samplesPerSegment: 3, frameM2: 1, limitMgPerM2: 10_000, defectCode: 'CL-DUST' } } });

    expect(paths(fields)).toEqual(['protocols.dustByWeight.defectCode']);
  });
});

describe('the Rulebook schema', () => {
  it('reports cross-field issues at their full path inside an enclosing body', () => {
    // Prepare
    const body = z.object({ rulebook: Rulebook });
    const bad = rulebook({
      scoreBands: [
        { minScoreX100: 9_000, coefficientBps: 9_800 },
        { minScoreX100: 8_000, coefficientBps: 9_900 },
        { minScoreX100: 0, coefficientBps: 8_000 },
      ],
    });
    // Act
    const result = body.safeParse({ rulebook: bad });
    // Assess
    expect(result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([
      { path: ['rulebook', 'scoreBands', 1, 'coefficientBps'], message: 'coefficient 9900 for ≥ 80.00 is higher than 9800 for ≥ 90.00: a lower score may not pay more' },
    ]);
  });

  it('refuses a negative fine by shape, naming the field', () => {
    const bad = rulebook();
    const items = [{ ...bad.defectItems[0]!, fineFen: -100 }];

    const result = Rulebook.safeParse({ ...bad, defectItems: items });

    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['defectItems.0.fineFen']);
  });

  it('refuses points given as a decimal instead of hundredths', () => {
    const bad = rulebook();

    const result = Rulebook.safeParse({ ...bad, complaint: { pointsX100: 1.5 } });

    expect(result.error?.issues[0]?.message).toBe('points are integer hundredths (2 points = 200)');
  });

  it('fills the optional sections with empty defaults', () => {
    const { categoryCaps: _caps, listing: _listing, spotCheckPlan: _plan, protocols: _protocols, ...required } = rulebook();

    const parsed = Rulebook.parse(required);

    expect([parsed.categoryCaps, parsed.listing, parsed.spotCheckPlan, parsed.protocols]).toEqual([[], {}, [], {}]);
  });
});
