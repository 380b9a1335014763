import { ValidationError, type FieldIssue } from '../errors';
import { divideRoundHalfUp } from '../money';
import { isSettledInTime } from '../rectification/order';
import type { RectificationOrder } from '../rectification/schema';
import { defectItem, repeatFactorBps, sampleScoreDeductionX100, sampleScoreX100 } from '../rulebooks/rules';
import type { DustByWeightProtocol, Rulebook, SampleScoreProtocol } from '../rulebooks/schema';
import type { DustResult, FindingInput, PricedLine, RatingSet, SampleScoreResult, Totals, Weather } from './schema';

/**
 * Pricing an inspection (DESIGN §3 "Inspections", "Rectification modes"). Pure, integers only:
 * points in hundredths, fines in fen, factors in basis points, one rounding (money.ts).
 */

/**
 * The weather gates of a measured sample (CJJ/T 126-style evaluation: no rain or snow, dry
 * road, wind below force 4 on the Beaufort scale, relative humidity ≤ 80 %). One reason per
 * failing gate; empty when all pass.
 */
export function weatherGateFailures(weather: Weather): string[] {
  return weatherGates(weather).map((gate) => gate.en);
}

/** The same failing gates in Chinese, in the same order (for zh-CN problem details). */
export function weatherGateFailuresZh(weather: Weather): string[] {
  return weatherGates(weather).map((gate) => gate.zh);
}

const precipitationZh: Readonly<Record<Weather['precipitation'], string>> = { none: '无', rain: '雨', snow: '雪' };

function weatherGates(weather: Weather): { en: string; zh: string }[] {
  const failing: { en: string; zh: string }[] = [];
  if (weather.precipitation !== 'none') {
    failing.push({ en: `precipitation: ${weather.precipitation} (a sample needs no rain or snow)`, zh: `precipitation：有${precipitationZh[weather.precipitation]}（采样须无雨雪）` });
  }
  if (!weather.roadDry) failing.push({ en: 'roadDry: the road is wet (a sample needs a dry road)', zh: 'roadDry：路面潮湿（采样须路面干燥）' });
  if (weather.windBeaufort >= 4) failing.push({ en: `windBeaufort: force ${weather.windBeaufort} (a sample needs wind below force 4)`, zh: `windBeaufort：${weather.windBeaufort} 级风（采样须风力低于 4 级）` });
  if (weather.humidityPct > 80) failing.push({ en: `humidityPct: ${weather.humidityPct} % (a sample needs humidity ≤ 80 %)`, zh: `humidityPct：湿度 ${weather.humidityPct} %（采样须湿度 ≤ 80 %）` });
  return failing;
}

/**
 * Scores a CJJ/T 126-style sample: each rating set (one inspector, one side) scores
 * Σ weight x rating; the sets are averaged in hundredths with the one half-up rounding
 * (rules.ts sampleScoreX100); the rulebook's bands turn the score into points. Rating keys
 * must be exactly the protocol's items: a missing or extra key is a 400 naming it.
 */
export function scoreSample(protocol: SampleScoreProtocol, ratingSets: readonly RatingSet[], path = 'protocol.sampleScore.ratingSets'): SampleScoreResult {
  const issues: FieldIssue[] = [];
  const keys = new Set(protocol.items.map((item) => item.key));
  ratingSets.forEach((set, index) => {
    for (const key of keys) {
      if (set.ratings[key] === undefined) issues.push({ path: `${path}.${index}.ratings.${key}`, message: `a rating 0–${protocol.maxItemScore} is required`, zh: `须给出 0–${protocol.maxItemScore} 的评分` });
    }
    for (const [key, rating] of Object.entries(set.ratings)) {
      if (!keys.has(key)) issues.push({ path: `${path}.${index}.ratings.${key}`, message: `not an item of the protocol (${[...keys].join(', ')})`, zh: `不是该评分规程的条目（${[...keys].join(', ')}）` });
      else if (rating > protocol.maxItemScore) issues.push({ path: `${path}.${index}.ratings.${key}`, message: `a rating runs 0–${protocol.maxItemScore}`, zh: `评分范围为 0–${protocol.maxItemScore}` });
    }
  });
  if (issues.length > 0) throw new ValidationError('the sample ratings do not fit the protocol', issues, { zh: '抽样评分与评分规程不符' });
  const scoreX100 = sampleScoreX100(protocol, ratingSets.map((set) => set.ratings));
  return { standard: protocol.standard, ratingSets: ratingSets.length, scoreX100, pointsX100: sampleScoreDeductionX100(protocol, scoreX100) };
}

/**
 * 以克论净: each reading above the rulebook's limit (mg per m², compared as given) is one
 * occurrence of the protocol's defect item.
 */
export function weighDust(protocol: DustByWeightProtocol, readingsMgPerM2: readonly number[]): DustResult {
  return {
    limitMgPerM2: protocol.limitMgPerM2,
    readingsMgPerM2: [...readingsMgPerM2],
    samplesAbove: readingsMgPerM2.filter((reading) => reading > protocol.limitMgPerM2).length,
    defectCode: protocol.defectCode,
  };
}

/** A finding to price: an inspector's own, or one derived from the dust protocol. */
export interface FindingToPrice {
  readonly source: 'finding' | 'dustByWeight';
  readonly findingIndex?: number;
  readonly itemCode: string;
  readonly count: number;
}

/**
 * Unknown item codes as 400 issues naming each finding (`findings.3.itemCode`).
 */
export function unknownItemIssues(rulebook: Pick<Rulebook, 'defectItems'>, findings: readonly FindingInput[]): FieldIssue[] {
  return findings.flatMap((finding, index) =>
    defectItem(rulebook, finding.itemCode) === undefined
      ? [{ path: `findings.${index}.itemCode`, message: `'${finding.itemCode}' is not an item of the contract's rulebook`, zh: `'${finding.itemCode}' 不是合同考核办法中的考核项目` }]
      : [],
  );
}

/**
 * Prices findings (DESIGN §3): points = count x item points, fine = count x item fine, each
 * times the repeat factor of the finding's ordinal. The ordinal is the n-th FINDING (one line
 * of an inspection sheet, whatever its count) of the item on the segment in the tenant-local
 * month: `earlier` holds how many findings per item code are already recorded that month
 * (corrected inspections excluded), and earlier lines of this inspection count too.
 * Each line is rounded once (half-up) after the factor.
 */
export function priceFindings(rulebook: Pick<Rulebook, 'defectItems'>, findings: readonly FindingToPrice[], earlier: ReadonlyMap<string, number>): PricedLine[] {
  const seen = new Map(earlier);
  return findings.map((finding) => {
    const item = defectItem(rulebook, finding.itemCode);
    if (item === undefined) throw new RangeError(`item '${finding.itemCode}' was not checked against the rulebook`);
    const ordinal = (seen.get(finding.itemCode) ?? 0) + 1;
    seen.set(finding.itemCode, ordinal);
    const factorBps = repeatFactorBps(item, ordinal);
    const price = (unit: number): number => Number(divideRoundHalfUp(BigInt(finding.count) * BigInt(unit) * BigInt(factorBps), 10_000n));
    const mode = item.rectify?.mode ?? 'none';
    return {
      source: finding.source,
      ...(finding.findingIndex === undefined ? {} : { findingIndex: finding.findingIndex }),
      itemCode: item.code,
      count: finding.count,
      ordinal,
      factorBps,
      unitPointsX100: item.pointsX100,
      unitFineFen: item.fineFen,
      pointsX100: price(item.pointsX100),
      fineFen: price(item.fineFen),
      mode,
      charge: mode === 'waive_if_rectified' ? 'provisional' : 'final',
    };
  });
}

/** The sample-score line: its points as the rulebook's band says, no fine, always final. */
export function sampleScoreLine(result: SampleScoreResult): PricedLine {
  return {
    source: 'sampleScore',
    count: 1,
    factorBps: 10_000,
    unitPointsX100: result.pointsX100,
    unitFineFen: 0,
    pointsX100: result.pointsX100,
    fineFen: 0,
    mode: 'none',
    charge: 'final',
  };
}

export function totalsOf(lines: readonly PricedLine[]): Totals {
  let pointsX100 = 0;
  let fineFen = 0;
  let provisionalPointsX100 = 0;
  let provisionalFineFen = 0;
  for (const line of lines) {
    pointsX100 += line.pointsX100;
    fineFen += line.fineFen;
    if (line.charge === 'provisional') {
      provisionalPointsX100 += line.pointsX100;
      provisionalFineFen += line.fineFen;
    }
  }
  return { pointsX100, fineFen, provisionalPointsX100, provisionalFineFen };
}

export interface FindingCharge {
  /**
   * charged: counts now and for good; waived: a waive_if_rectified finding fixed in time;
   * pending: a waive_if_rectified finding whose order is not decided yet (counts 0 for now).
   */
  readonly state: 'charged' | 'waived' | 'pending';
  readonly pointsX100: number;
  readonly fineFen: number;
}

/**
 * What a priced line finally costs, given its rectification order (DESIGN §3 "Rectification
 * modes"; for the monthly statement, issue 7):
 * - deduct items and items without rectify: the line, always (the lateness of a deduct
 *   order is priced separately by the order's `late.penalty`);
 * - waive_if_rectified: nothing when the order was closed on an answer submitted by its
 *   deadline; the full line (counted from the finding, i.e. in the finding's month) once the
 *   order is late; pending (0) while undecided. A waive item's order carries no late
 *   penalty of its own: the un-waived deduction is the price of lateness (PFI practice).
 */
export function findingCharge(line: Pick<PricedLine, 'charge' | 'pointsX100' | 'fineFen'>, order?: Pick<RectificationOrder, 'status' | 'late' | 'answers' | 'dueAt'>): FindingCharge {
  const full: FindingCharge = { state: 'charged', pointsX100: line.pointsX100, fineFen: line.fineFen };
  if (line.charge === 'final') return full;
  // A provisional line without its order cannot be waived: charge it rather than lose it.
  if (order === undefined) return full;
  if (order.late !== undefined) return full;
  if (order.status === 'closed' && isSettledInTime(order)) return { state: 'waived', pointsX100: 0, fineFen: 0 };
  return { state: 'pending', pointsX100: 0, fineFen: 0 };
}
