import type { FieldIssue } from '../errors';
import { formatX100 } from '../money';
import type { RulebookFields, SampleScoreProtocol } from './schema';

/**
 * Cross-field rules of a rulebook (issue 3 "Validation"), as one pure function so the zod
 * schema, the templates' tests and any later authoring screen give the same answers. Every
 * issue names the path of the field to fix and says why, in words an author understands.
 */

const reserved = new Set<string>(['complaints', 'missed_tasks', 'late']);

/**
 * Every broken cross-field rule of `rulebook`, in path order of the checks below; empty when
 * the rulebook is sound. Shape rules (types, ranges) are the schema's job and are assumed.
 */
export function validateRulebook(rulebook: RulebookFields): FieldIssue[] {
  return [
    ...scoreBandIssues(rulebook),
    ...defectItemIssues(rulebook),
    ...missedTaskIssues(rulebook),
    ...latePenaltyIssues(rulebook),
    ...capIssues(rulebook),
    ...listingIssues(rulebook),
    ...spotCheckIssues(rulebook),
    ...protocolIssues(rulebook),
  ];
}

interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

/** Highest threshold first; ties keep input order so the later duplicate is the one named. */
function byMinDescending<T extends { minScoreX100: number }>(bands: readonly T[]): Indexed<T>[] {
  return bands.map((value, index) => ({ index, value })).sort((a, b) => b.value.minScoreX100 - a.value.minScoreX100 || a.index - b.index);
}

/**
 * Bands are "score ≥ min" thresholds: they can only overlap by sharing a min and only leave a
 * gap at the bottom (no band at 0). Coefficients must not rise as the score falls, or a
 * worse month would pay more than a better one.
 */
function scoreBandIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const path = 'scoreBands';
  issues.push(...thresholdIssues(path, rulebook.scoreBands));
  const sorted = distinctByMin(byMinDescending(rulebook.scoreBands));
  for (let i = 1; i < sorted.length; i += 1) {
    const higher = sorted[i - 1]!;
    const lower = sorted[i]!;
    if (lower.value.coefficientBps > higher.value.coefficientBps) {
      issues.push({
        path: `${path}.${lower.index}.coefficientBps`,
        message: `coefficient ${lower.value.coefficientBps} for ≥ ${formatX100(lower.value.minScoreX100)} is higher than ${higher.value.coefficientBps} for ≥ ${formatX100(higher.value.minScoreX100)}: a lower score may not pay more`,
      });
    }
  }
  const reward = rulebook.scoreBands.findIndex((band) => band.coefficientBps > 10_000);
  const rewardBand = rulebook.scoreBands[reward];
  if (rewardBand !== undefined && rulebook.bonusCapBps === undefined) {
    issues.push({
      path: 'bonusCapBps',
      message: `band ≥ ${formatX100(rewardBand.minScoreX100)} pays ${rewardBand.coefficientBps}, a reward above 10000: set bonusCapBps to cap the bonus (DESIGN §3 Statement)`,
    });
  }
  return issues;
}

/** Duplicate and missing-zero checks shared by score bands and sample-score deductions. */
function thresholdIssues(path: string, bands: readonly { minScoreX100: number }[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const firstAt = new Map<number, number>();
  bands.forEach((band, index) => {
    const first = firstAt.get(band.minScoreX100);
    if (first === undefined) {
      firstAt.set(band.minScoreX100, index);
      return;
    }
    issues.push({
      path: `${path}.${index}.minScoreX100`,
      message: `${path}.${first} already starts at ≥ ${formatX100(band.minScoreX100)}: two bands with the same threshold overlap (bands are "≥ min" thresholds; each min once)`,
    });
  });
  if (bands.length > 0 && !firstAt.has(0)) {
    const lowest = Math.min(...bands.map((band) => band.minScoreX100));
    issues.push({
      path,
      message: `no band starts at 0.00, so scores from 0.00 to ${formatX100(lowest - 1)} have none: the lowest band must be ≥ 0.00`,
    });
  }
  return issues;
}

function distinctByMin<T extends { minScoreX100: number }>(sorted: Indexed<T>[]): Indexed<T>[] {
  return sorted.filter((entry, i) => i === 0 || sorted[i - 1]!.value.minScoreX100 !== entry.value.minScoreX100);
}

function defectItemIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const firstAt = new Map<string, number>();
  rulebook.defectItems.forEach((item, index) => {
    const path = `defectItems.${index}`;
    const first = firstAt.get(item.code);
    if (first === undefined) firstAt.set(item.code, index);
    else issues.push({ path: `${path}.code`, message: `code '${item.code}' is already used by defectItems.${first}: codes must be unique` });
    if (reserved.has(item.category)) {
      issues.push({
        path: `${path}.category`,
        message: `'${item.category}' is reserved for the ${item.category.replace('_', ' ')} part of the score; give the defect item its own category`,
      });
    }
    const costs = item.pointsX100 > 0 || item.fineFen > 0;
    if (!costs && item.rectify === undefined) {
      issues.push({ path, message: `item '${item.code}' costs no points, no fine and raises no order: it would record nothing` });
    }
    if (!costs && item.rectify?.mode === 'waive_if_rectified') {
      issues.push({ path: `${path}.rectify.mode`, message: `item '${item.code}' costs nothing, so there is nothing to waive: use mode 'deduct'` });
    }
    if (item.escalation?.kind === 'multiplier' && item.escalation.multiplierBps <= 10_000) {
      issues.push({
        path: `${path}.escalation.multiplierBps`,
        message:
          item.escalation.multiplierBps === 10_000
            ? 'a multiplier of 10000 repeats at the same price: omit escalation instead'
            : `a multiplier of ${item.escalation.multiplierBps} makes a repeat cheaper than the first finding: it must be above 10000`,
      });
    }
  });
  return issues;
}

function missedTaskIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const firstAt = new Map<string, number>();
  rulebook.missedTasks.byActivity.forEach((price, index) => {
    const first = firstAt.get(price.activity);
    if (first === undefined) firstAt.set(price.activity, index);
    else issues.push({ path: `missedTasks.byActivity.${index}.activity`, message: `activity '${price.activity}' is already priced by missedTasks.byActivity.${first}` });
  });
  return issues;
}

function latePenaltyIssues(rulebook: RulebookFields): FieldIssue[] {
  const late = rulebook.latePenalty;
  if (late.sameAsDefect) {
    return (['pointsX100', 'fineFen'] as const)
      .filter((field) => late[field] !== undefined)
      .map((field) => ({ path: `latePenalty.${field}`, message: `sameAsDefect charges the defect item again; do not also state ${field}` }));
  }
  if (late.pointsX100 === undefined && late.fineFen === undefined) {
    return [{ path: 'latePenalty', message: 'state pointsX100 and/or fineFen for a late order, or set sameAsDefect: true' }];
  }
  return [];
}

function capIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const categories = new Set(rulebook.defectItems.map((item) => item.category));
  const firstAt = new Map<string, number>();
  rulebook.categoryCaps.forEach((cap, index) => {
    const path = `categoryCaps.${index}`;
    const first = firstAt.get(cap.category);
    if (first === undefined) firstAt.set(cap.category, index);
    else issues.push({ path: `${path}.category`, message: `category '${cap.category}' is already capped by categoryCaps.${first}` });
    if (!reserved.has(cap.category) && !categories.has(cap.category)) {
      issues.push({
        path: `${path}.category`,
        message: `no defect item has category '${cap.category}'; a cap applies to a defect category or to 'complaints', 'missed_tasks', 'late'`,
      });
    }
    if (cap.category === 'complaints' && cap.capX100 < rulebook.complaint.pointsX100) {
      issues.push({
        path: `${path}.capX100`,
        message: `cap ${formatX100(cap.capX100)} is below the ${formatX100(rulebook.complaint.pointsX100)} one valid complaint costs: the first complaint would already be cut`,
      });
    }
  });
  return issues;
}

function listingIssues(rulebook: RulebookFields): FieldIssue[] {
  const { redAtOrAboveX100: red, blackBelowX100: black, blackAfterConsecutiveMonths } = rulebook.listing;
  const issues: FieldIssue[] = [];
  if (red !== undefined && black !== undefined && red <= black) {
    issues.push({
      path: 'listing.redAtOrAboveX100',
      message: `the red list from ${formatX100(red)} must start above the black list threshold ${formatX100(black)}: one score cannot be on both`,
    });
  }
  if (blackAfterConsecutiveMonths !== undefined && black === undefined) {
    issues.push({ path: 'listing.blackAfterConsecutiveMonths', message: 'consecutive months below what? set listing.blackBelowX100 too' });
  }
  return issues;
}

function spotCheckIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const firstAt = new Map<string, number>();
  rulebook.spotCheckPlan.forEach((quota, index) => {
    const key = `${quota.flag ?? 'any'}/${quota.grade ?? 'any'}`;
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, index);
    else issues.push({ path: `spotCheckPlan.${index}`, message: `spotCheckPlan.${first} already draws flag ${quota.flag ?? 'any'}, grade ${quota.grade ?? 'any'}: add the counts instead` });
  });
  return issues;
}

function protocolIssues(rulebook: RulebookFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const sample = rulebook.protocols.sampleScore;
  if (sample !== undefined) issues.push(...sampleScoreIssues('protocols.sampleScore', sample));
  const dust = rulebook.protocols.dustByWeight;
  if (dust !== undefined && !rulebook.defectItems.some((item) => item.code === dust.defectCode)) {
    issues.push({ path: 'protocols.dustByWeight.defectCode', message: `no defect item has code '${dust.defectCode}'; a sample above the limit must count as an existing item` });
  }
  return issues;
}

function sampleScoreIssues(path: string, protocol: SampleScoreProtocol): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const weightSum = protocol.items.reduce((sum, item) => sum + item.weight, 0);
  if (weightSum * protocol.maxItemScore !== 100) {
    issues.push({
      path: `${path}.items`,
      message: `weights add up to ${weightSum}; times the maximum item score ${protocol.maxItemScore} that is ${weightSum * protocol.maxItemScore}, not 100: a sample score must run 0–100 (CJJ/T 126: 6+6+4+4 = 20, x 5)`,
    });
  }
  const keys = new Map<string, number>();
  protocol.items.forEach((item, index) => {
    const first = keys.get(item.key);
    if (first === undefined) keys.set(item.key, index);
    else issues.push({ path: `${path}.items.${index}.key`, message: `key '${item.key}' is already used by ${path}.items.${first}` });
  });
  issues.push(...thresholdIssues(`${path}.deductions`, protocol.deductions));
  const sorted = distinctByMin(byMinDescending(protocol.deductions));
  for (let i = 1; i < sorted.length; i += 1) {
    const higher = sorted[i - 1]!;
    const lower = sorted[i]!;
    if (lower.value.pointsX100 < higher.value.pointsX100) {
      issues.push({
        path: `${path}.deductions.${lower.index}.pointsX100`,
        message: `${formatX100(lower.value.pointsX100)} points for ≥ ${formatX100(lower.value.minScoreX100)} is less than ${formatX100(higher.value.pointsX100)} for ≥ ${formatX100(higher.value.minScoreX100)}: a dirtier sample may not cost less`,
      });
    }
  }
  return issues;
}
