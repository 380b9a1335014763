import { divideRoundHalfUp } from '../money';
import { sameValue } from '../records';
import type { DefectItem, DustByWeightProtocol, MissedTaskPrice, Rulebook, RulebookFields, SampleScoreProtocol } from './schema';

/**
 * Reading a rulebook: the small lookups that inspections, the score and the statement share,
 * so each rule of DESIGN §3 is interpreted in one place. All pure; all integers.
 */

/** The band in force for a score: the one with the greatest min ≤ score ("≥ min" thresholds). */
export function bandFor<T extends { readonly minScoreX100: number }>(bands: readonly T[], scoreX100: number): T | undefined {
  let best: T | undefined;
  for (const band of bands) {
    if (band.minScoreX100 <= scoreX100 && (best === undefined || band.minScoreX100 > best.minScoreX100)) best = band;
  }
  return best;
}

/**
 * The payment coefficient for a month's score (DESIGN §3 Statement). A valid rulebook has a
 * band at 0, so every score in 0–100 has one; an invalid one is a wiring error.
 */
export function coefficientBps(rulebook: Pick<Rulebook, 'scoreBands'>, scoreX100: number): number {
  const band = bandFor(rulebook.scoreBands, scoreX100);
  if (band === undefined) throw new RangeError(`no score band covers ${scoreX100}; the rulebook was not validated`);
  return band.coefficientBps;
}

export function defectItem(rulebook: Pick<Rulebook, 'defectItems'>, code: string): DefectItem | undefined {
  return rulebook.defectItems.find((item) => item.code === code);
}

/** The price of one missed task of `activity`: its own row, else the default (DESIGN §3 Missed tasks). */
export function missedTaskPrice(rulebook: Pick<Rulebook, 'missedTasks'>, activity: string): MissedTaskPrice {
  const row = rulebook.missedTasks.byActivity.find((price) => price.activity === activity);
  return row === undefined ? rulebook.missedTasks.defaultPrice : { pointsX100: row.pointsX100, fineFen: row.fineFen };
}

/**
 * How many times the item's price the `n`-th finding of the same item on the same segment
 * in the same month costs, in basis points (DESIGN §3 Rectification modes: "the n-th finding
 * costs n times, or a stated multiplier"; SoPC4 §7.2: persistent failures cost more).
 * Without escalation every finding costs once; `multiplier` applies from the 2nd finding on.
 */
export function repeatFactorBps(item: Pick<DefectItem, 'escalation'>, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a finding's ordinal starts at 1, got ${n}`);
  const escalation = item.escalation;
  if (escalation === undefined) return 10_000;
  if (escalation.kind === 'linear') return n * 10_000;
  return n === 1 ? 10_000 : escalation.multiplierBps;
}

/**
 * The 0–100 score of one CJJ/T 126-style sample, in hundredths: each rating set (one
 * inspector on one side of the road) scores Σ weight x rating, and the sets are averaged,
 * rounded half-up once (money.ts's one rounding rule, reused for points).
 */
export function sampleScoreX100(protocol: SampleScoreProtocol, ratingSets: readonly Readonly<Record<string, number>>[]): number {
  if (ratingSets.length === 0) throw new RangeError('a sample needs at least one rating set');
  let total = 0;
  for (const ratings of ratingSets) {
    for (const item of protocol.items) {
      const rating = ratings[item.key];
      if (rating === undefined || !Number.isInteger(rating) || rating < 0 || rating > protocol.maxItemScore) {
        throw new RangeError(`rating for '${item.key}' must be an integer 0–${protocol.maxItemScore}, got ${String(rating)}`);
      }
      total += item.weight * rating;
    }
  }
  return Number(divideRoundHalfUp(BigInt(total) * 100n, BigInt(ratingSets.length)));
}

/** Points deducted for a sample scoring `scoreX100` under the protocol's bands. */
export function sampleScoreDeductionX100(protocol: SampleScoreProtocol, scoreX100: number): number {
  const band = bandFor(protocol.deductions, scoreX100);
  if (band === undefined) throw new RangeError(`no deduction band covers ${scoreX100}; the rulebook was not validated`);
  return band.pointsX100;
}

/**
 * 以克论净: how many of the weighed samples exceed the limit; each counts as one occurrence
 * of the protocol's defect item. Samples are milligrams on the protocol's frame, so the
 * comparison is per m² without division (mg ≤ limit x frame).
 */
export function dustExcessSamples(protocol: DustByWeightProtocol, samplesMg: readonly number[]): number {
  return samplesMg.filter((mg) => mg > protocol.limitMgPerM2 * protocol.frameM2).length;
}

/** What differs between two rulebooks, by item code and by section. */
export interface RulebookDiff {
  readonly changed: boolean;
  readonly itemsAdded: readonly string[];
  readonly itemsRemoved: readonly string[];
  readonly itemsChanged: readonly string[];
  /** Top-level fields other than defectItems that differ, e.g. `scoreBands`, `retentionBps`. */
  readonly sectionsChanged: readonly string[];
}

export function diffRulebooks(before: RulebookFields, after: RulebookFields): RulebookDiff {
  const beforeItems = new Map(before.defectItems.map((item) => [item.code, item]));
  const afterItems = new Map(after.defectItems.map((item) => [item.code, item]));
  const itemsAdded = [...afterItems.keys()].filter((code) => !beforeItems.has(code)).sort();
  const itemsRemoved = [...beforeItems.keys()].filter((code) => !afterItems.has(code)).sort();
  const itemsChanged = [...afterItems.entries()]
    .filter(([code, item]) => beforeItems.has(code) && !sameValue(beforeItems.get(code), item))
    .map(([code]) => code)
    .sort();
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((key) => key !== 'defectItems'));
  const sectionsChanged = [...keys]
    .filter((key) => !sameValue((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]))
    .sort();
  return {
    changed: itemsAdded.length + itemsRemoved.length + itemsChanged.length + sectionsChanged.length > 0,
    itemsAdded,
    itemsRemoved,
    itemsChanged,
    sectionsChanged,
  };
}
