import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import { findingCharge, priceFindings, sampleScoreLine, scoreSample, totalsOf, unknownItemIssues, weatherGateFailures, weighDust } from '../../../../domain/inspections/pricing';
import type { PricedLine, Weather } from '../../../../domain/inspections/schema';
import type { RectificationOrder } from '../../../../domain/rectification/schema';
import type { DefectItem, Rulebook } from '../../../../domain/rulebooks/schema';
import { cleaningRulebook } from '../contracts/fixtures';

const rulebook = cleaningRulebook();
const protocol = rulebook.protocols.sampleScore!;

function withItems(...items: DefectItem[]): Pick<Rulebook, 'defectItems'> {
  return { defectItems: items };
}

const base: DefectItem = { code: 'X-ITEM', category: 'road_cleanliness', descriptionZh: '测试', pointsX100: 150, fineFen: 5_000 };

describe('priceFindings', () => {
  it('charges count x item points and count x item fine', () => {
    // CL-PILE-M: 8.00 points and 200 元 per spot; 3 spots → 24.00 points, 600 元.
    const [line] = priceFindings(rulebook, [{ source: 'finding', findingIndex: 0, itemCode: 'CL-PILE-M', count: 3 }], new Map());

    expect(line).toMatchObject({ itemCode: 'CL-PILE-M', count: 3, ordinal: 1, factorBps: 10_000, pointsX100: 2_400, fineFen: 60_000, mode: 'deduct', charge: 'final' });
  });

  it('escalates linearly: the n-th finding of the month costs n times', () => {
    // CL-DRAIN is linear: two findings already this month, so this one is the 3rd → 3 x (2.00, 200 元).
    const [line] = priceFindings(rulebook, [{ source: 'finding', itemCode: 'CL-DRAIN', count: 1 }], new Map([['CL-DRAIN', 2]]));

    expect(line).toMatchObject({ ordinal: 3, factorBps: 30_000, pointsX100: 600, fineFen: 60_000 });
  });

  it('counts earlier lines of the same inspection as repeats', () => {
    const lines = priceFindings(rulebook, [
      { source: 'finding', itemCode: 'CL-DRAIN', count: 1 },
      { source: 'finding', itemCode: 'CL-DRAIN', count: 2 },
    ], new Map());

    // 1st: 1 x 200; 2nd: 2 spots x 200 x 2 = 800.
    expect(lines.map((line) => [line.ordinal, line.pointsX100])).toEqual([[1, 200], [2, 800]]);
  });

  it('applies a multiplier from the second finding on, rounding each line once half-up', () => {
    const item: DefectItem = { ...base, escalation: { kind: 'multiplier', multiplierBps: 15_000 } };
    const [first, second] = priceFindings(withItems(item), [
      { source: 'finding', itemCode: 'X-ITEM', count: 1 },
      { source: 'finding', itemCode: 'X-ITEM', count: 1 },
    ], new Map());

    expect([first?.pointsX100, first?.fineFen]).toEqual([150, 5_000]);
    // 150 x 1.5 = 225; 5000 x 1.5 = 7500.
    expect([second?.factorBps, second?.pointsX100, second?.fineFen]).toEqual([15_000, 225, 7_500]);
  });

  it('rounds a fractional product half-up', () => {
    const item: DefectItem = { ...base, pointsX100: 5, fineFen: 1, escalation: { kind: 'multiplier', multiplierBps: 15_000 } };
    const [, second] = priceFindings(withItems(item), [
      { source: 'finding', itemCode: 'X-ITEM', count: 1 },
      { source: 'finding', itemCode: 'X-ITEM', count: 1 },
    ], new Map());

    // 5 x 1.5 = 7.5 → 8; 1 x 1.5 = 1.5 → 2.
    expect([second?.pointsX100, second?.fineFen]).toEqual([8, 2]);
  });

  it('marks waive_if_rectified lines provisional and deduct lines final', () => {
    const waive: DefectItem = { ...base, code: 'X-WAIVE', rectify: { hours: 24, mode: 'waive_if_rectified' } };
    const lines = priceFindings(withItems(waive, { ...base, code: 'X-NONE' }), [
      { source: 'finding', itemCode: 'X-WAIVE', count: 2 },
      { source: 'finding', itemCode: 'X-NONE', count: 1 },
    ], new Map());

    expect(lines.map((line) => [line.mode, line.charge])).toEqual([['waive_if_rectified', 'provisional'], ['none', 'final']]);
    expect(totalsOf(lines)).toEqual({ pointsX100: 450, fineFen: 15_000, provisionalPointsX100: 300, provisionalFineFen: 10_000 });
  });
});

describe('unknownItemIssues', () => {
  it('names each finding whose code is not in the rulebook', () => {
    const issues = unknownItemIssues(rulebook, [
      { itemCode: 'CL-LITTER', count: 1, evidenceIds: [] },
      { itemCode: 'CL-LITTER', count: 1, evidenceIds: [] },
      { itemCode: 'CL-LITTER', count: 1, evidenceIds: [] },
      { itemCode: 'GR-NOPE', count: 1, evidenceIds: [] },
    ]);

    expect(issues.map((issue) => issue.path)).toEqual(['findings.3.itemCode']);
  });
});

describe('findingCharge', () => {
  const provisional: PricedLine = { source: 'finding', itemCode: 'X-WAIVE', count: 1, factorBps: 10_000, unitPointsX100: 300, unitFineFen: 100, pointsX100: 300, fineFen: 100, mode: 'waive_if_rectified', charge: 'provisional' };
  const order = (patch: Partial<RectificationOrder>): Pick<RectificationOrder, 'status' | 'late' | 'answers' | 'dueAt'> => ({
    status: 'open',
    answers: [],
    dueAt: '2025-03-06T02:00:00.000Z',
    ...patch,
  });
  const answerAt = (at: string): RectificationOrder['answers'][number] => ({ evidenceIds: ['ev_1'], at, by: 'usr_a' });

  it('charges a deduct line whatever its order does', () => {
    expect(findingCharge({ ...provisional, charge: 'final' }, order({ status: 'closed', answers: [answerAt('2025-03-05T03:00:00.000Z')] }))).toEqual({ state: 'charged', pointsX100: 300, fineFen: 100 });
  });

  it('waives a provisional line whose order closed on an answer in time', () => {
    expect(findingCharge(provisional, order({ status: 'closed', answers: [answerAt('2025-03-06T01:59:00.000Z')] }))).toEqual({ state: 'waived', pointsX100: 0, fineFen: 0 });
  });

  it('charges a provisional line once its order is late', () => {
    const late = order({ status: 'closed', answers: [answerAt('2025-03-06T05:00:00.000Z')], late: { markedAt: '2025-03-06T02:15:00.000Z', by: 'system', penalty: { pointsX100: 0, fineFen: 0 } } });

    expect(findingCharge(provisional, late)).toEqual({ state: 'charged', pointsX100: 300, fineFen: 100 });
  });

  it('leaves a provisional line pending while its order is undecided', () => {
    expect(findingCharge(provisional, order({ status: 'answered', answers: [answerAt('2025-03-05T05:00:00.000Z')] }))).toEqual({ state: 'pending', pointsX100: 0, fineFen: 0 });
  });

  it('charges a provisional line that has no order rather than lose it', () => {
    expect(findingCharge(provisional).state).toBe('charged');
  });
});

describe('scoreSample (CJJ/T 126 style, weights 6/6/4/4, ratings 0–5)', () => {
  it('scores 100.00 when every inspector rates every item 5 on both sides', () => {
    const all5 = { overall: 5, surface: 5, edges: 5, gullies: 5 };
    // 6·5 + 6·5 + 4·5 + 4·5 = 100 per set.
    const result = scoreSample(protocol, [
      { inspectorId: 'a', side: 'left', ratings: all5 },
      { inspectorId: 'a', side: 'right', ratings: all5 },
    ]);

    expect(result).toEqual({ standard: 'CJJ/T 126-2022', ratingSets: 2, scoreX100: 10_000, pointsX100: 0 });
  });

  it('averages over inspectors and sides and maps the score to the band', () => {
    // a-left 6·4+6·4+4·3+4·3 = 72; a-right 6·3+6·4+4·3+4·2 = 62; b-left 6·4+6·3+4·4+4·3 = 70.
    // Mean (72+62+70)/3 = 68.0 → 6800 → band ≥ 60: 3.00 points.
    const result = scoreSample(protocol, [
      { inspectorId: 'a', side: 'left', ratings: { overall: 4, surface: 4, edges: 3, gullies: 3 } },
      { inspectorId: 'a', side: 'right', ratings: { overall: 3, surface: 4, edges: 3, gullies: 2 } },
      { inspectorId: 'b', side: 'left', ratings: { overall: 4, surface: 3, edges: 4, gullies: 3 } },
    ]);

    expect([result.scoreX100, result.pointsX100]).toEqual([6_800, 300]);
  });

  it('rounds the mean once, half-up, in hundredths', () => {
    const result = scoreSample(protocol, [
      { inspectorId: 'a', side: 'left', ratings: { overall: 5, surface: 4, edges: 5, gullies: 5 } }, // 30+24+20+20 = 94
      { inspectorId: 'a', side: 'right', ratings: { overall: 5, surface: 4, edges: 5, gullies: 4 } }, // 30+24+20+16 = 90
      { inspectorId: 'b', side: 'left', ratings: { overall: 4, surface: 4, edges: 5, gullies: 5 } }, // 24+24+20+20 = 88
    ]);

    // (94 + 90 + 88) / 3 = 90.666… → 9067 → band ≥ 90: 0 points.
    expect([result.scoreX100, result.pointsX100]).toEqual([9_067, 0]);
  });

  it('names a missing and an unknown rating key', () => {
    const run = (): unknown => scoreSample(protocol, [{ inspectorId: 'a', side: 'left', ratings: { overall: 5, surface: 5, edges: 5, drains: 5 } }]);

    expect(run).toThrow(ValidationError);
    try {
      run();
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path).sort()).toEqual([
        'protocol.sampleScore.ratingSets.0.ratings.drains',
        'protocol.sampleScore.ratingSets.0.ratings.gullies',
      ]);
    }
  });

  it('becomes a final line with the band points', () => {
    expect(sampleScoreLine({ standard: 'x', ratingSets: 2, scoreX100: 7_500, pointsX100: 200 })).toMatchObject({ source: 'sampleScore', pointsX100: 200, fineFen: 0, charge: 'final' });
  });
});

describe('weatherGateFailures', () => {
  const fair: Weather = { precipitation: 'none', roadDry: true, windBeaufort: 3, humidityPct: 80 };

  it('passes fair weather at the limits (force 3, 80 %)', () => {
    expect(weatherGateFailures(fair)).toEqual([]);
  });

  it.each([
    [{ precipitation: 'rain' as const }, 'precipitation'],
    [{ precipitation: 'snow' as const }, 'precipitation'],
    [{ roadDry: false }, 'roadDry'],
    [{ windBeaufort: 4 }, 'windBeaufort'],
    [{ humidityPct: 81 }, 'humidityPct'],
  ])('refuses %o naming the gate %s', (patch, gate) => {
    const reasons = weatherGateFailures({ ...fair, ...patch });

    expect(reasons).toHaveLength(1);
    expect(reasons[0]?.startsWith(`${gate}:`)).toBe(true);
  });
});

describe('weighDust (以克论净)', () => {
  it('counts each reading above the limit, the limit itself passing', () => {
    // Limit 10 g/m² = 10 000 mg/m²: 10 000 passes, 10 001 and 25 000 do not.
    const result = weighDust(rulebook.protocols.dustByWeight!, [9_000, 10_000, 10_001, 25_000]);

    expect(result).toEqual({ limitMgPerM2: 10_000, readingsMgPerM2: [9_000, 10_000, 10_001, 25_000], samplesAbove: 2, defectCode: 'CL-DUST' });
  });
});
