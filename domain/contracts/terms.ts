import { addDays, maxDate, minDate } from '../dates';
import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import { sameValue } from '../records';
import { diffRulebooks, type RulebookDiff } from '../rulebooks/rules';
import type { Rulebook } from '../rulebooks/schema';
import type { Contract, ContractPricing, ContractTerms, RateItem, StandardRef, TermsPart } from './schema';

/**
 * Effective-dated terms (issue 3 "Amendments"): which version is in force on a date, how an
 * amendment adds one, and what changed between two. Pure; "today" is always passed in.
 */

/** The last day the contract is (or was) in force: its end date, or earlier when it ended early. */
export function lastDayInForce(contract: Pick<Contract, 'endDate' | 'endedOn'>): string {
  return contract.endedOn === undefined ? contract.endDate : minDate(contract.endedOn, contract.endDate);
}

/** A version with the inclusive dates it governs. */
export interface TermsPeriod {
  readonly terms: ContractTerms;
  readonly from: string;
  readonly to: string;
}

/**
 * The versions that govern at least one day, each with its dates: from its effectiveFrom
 * (not before the start) to the day before the next version takes effect (not after the
 * last day in force). A version superseded on its first day by a later one with the same
 * effectiveFrom governs nothing and is left out.
 */
export function termsPeriods(contract: Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>): TermsPeriod[] {
  const last = lastDayInForce(contract);
  const periods: TermsPeriod[] = [];
  contract.versions.forEach((terms, index) => {
    const next = contract.versions[index + 1];
    const from = maxDate(terms.effectiveFrom, contract.startDate);
    const to = next === undefined ? last : minDate(addDays(next.effectiveFrom, -1), last);
    if (from <= to) periods.push({ terms, from, to });
  });
  return periods;
}

/**
 * The terms in force on `date` (the latest version with effectiveFrom ≤ date), or undefined
 * before the start or after the last day in force. Drafts answer with their planned terms.
 */
export function termsAsOf(contract: Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>, date: string): ContractTerms | undefined {
  return termsPeriods(contract).find((period) => period.from <= date && date <= period.to)?.terms;
}

/** The newest version recorded (the one later amendments start from). */
export function latestTerms(contract: Pick<Contract, 'versions'>): ContractTerms {
  const latest = contract.versions[contract.versions.length - 1];
  if (latest === undefined) throw new RangeError('a contract has at least one terms version');
  return latest;
}

/** What an amendment asks for, with any rulebook template already resolved to a rulebook. */
export interface AmendmentRequest {
  readonly effectiveFrom: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly scope?: readonly string[];
  readonly pricing?: ContractPricing;
  readonly standardRef?: StandardRef;
  readonly rulebook?: Rulebook;
}

export interface AmendmentContext {
  /** Tenant-local date of the request. */
  readonly today: string;
  readonly amendmentId: string;
  readonly at: Date;
  readonly by: string;
}

/**
 * Adds a terms version from `request.effectiveFrom` (变更). Rules, and why:
 * - terminated and expired contracts are closed (ConflictError);
 * - effectiveFrom lies within the contract's dates;
 * - effectiveFrom is not before the latest version's: history is append-only and ordered,
 *   so what was in force on a day never changes after the fact (an equal date supersedes
 *   the latest version, which corrects a change that has not taken effect yet);
 * - only drafts may be back-dated: once active, tasks, proofs and statements of past days
 *   were computed from the terms then in force, so a past change must go through an
 *   adjustment line (DESIGN §2.5) — active and suspended contracts need effectiveFrom ≥ today;
 * - a lump-sum contract stays lump-sum (monthly or per m²) and a unit-rate one stays
 *   unit-rate: 定量 and 定性 are different procurements, not a price change;
 * - the approval is not dated in the future, and the change must change something;
 * - a rulebook change takes effect on the 1st of a month (or the start date): a month is
 *   assessed under one rulebook, and a change applies from the next assessment period.
 */
export function amendTerms(contract: Contract, request: AmendmentRequest, context: AmendmentContext): Contract {
  if (contract.status === 'terminated' || contract.status === 'expired') {
    throw new ConflictError(`contract '${contract.contractId}' is ${contract.status}; only draft, active or suspended contracts can be amended`);
  }
  const latest = latestTerms(contract);
  const reasons: string[] = [];
  const from = request.effectiveFrom;
  if (from < contract.startDate || from > contract.endDate) {
    reasons.push(`effectiveFrom ${from} is outside the contract's dates ${contract.startDate} – ${contract.endDate}`);
  }
  if (from < latest.effectiveFrom) {
    reasons.push(`effectiveFrom ${from} is before ${latest.effectiveFrom}, when the latest version (${latest.termsVersion}) takes effect: amendments are recorded in date order`);
  }
  if (contract.status !== 'draft' && from < context.today) {
    reasons.push(`effectiveFrom ${from} is in the past (today is ${context.today}): an ${contract.status} contract cannot be amended retroactively; settle past days with an adjustment`);
  }
  if (request.approvedAt > context.today) {
    reasons.push(`approvedAt ${request.approvedAt} is in the future (today is ${context.today})`);
  }
  if (request.pricing !== undefined && pricingFamily(request.pricing) !== pricingFamily(latest.pricing)) {
    reasons.push(`a ${latest.pricing.kind} contract cannot become ${request.pricing.kind}: lump-sum (定量) and unit-rate (定性) are different procurements`);
  }
  if (reasons.length > 0) throw new RuleViolationError(`the amendment of contract '${contract.contractId}' is refused`, reasons);
  if (request.rulebook !== undefined && request.rulebook.serviceType !== contract.serviceType) {
    throw new ValidationError('the rulebook is for another service type', [
      { path: 'rulebook.serviceType', message: `a ${contract.serviceType} contract needs a ${contract.serviceType} rulebook, not ${request.rulebook.serviceType}` },
    ]);
  }

  const standardRef = request.standardRef ?? latest.standardRef;
  const proposed: ContractTerms = {
    termsVersion: Math.max(...contract.versions.map((terms) => terms.termsVersion)) + 1,
    effectiveFrom: from,
    scope: request.scope === undefined ? latest.scope : [...new Set(request.scope)].sort(),
    pricing: request.pricing ?? latest.pricing,
    ...(standardRef === undefined ? {} : { standardRef }),
    rulebook: request.rulebook ?? latest.rulebook,
    recordedAt: context.at.toISOString(),
    recordedBy: context.by,
  };
  const changes = changedParts(versionDiff(latest, proposed));
  if (changes.length === 0) {
    throw new RuleViolationError(`the amendment of contract '${contract.contractId}' changes nothing`, [
      `scope, pricing, standardRef and rulebook are the same as in version ${latest.termsVersion}`,
    ]);
  }
  if (changes.includes('rulebook') && !rulebookMayTakeEffect(contract, from)) {
    const first = firstOfNextMonth(from);
    throw new RuleViolationError(
      `the amendment of contract '${contract.contractId}' is refused`,
      [
        `effectiveFrom ${from} is not the first day of a month: a rulebook (考核办法) change takes effect from the next assessment period, the 1st of a month (here ${first}), so that no month is assessed under two rulebooks`,
      ],
      {
        fields: ['effectiveFrom'],
        zh: `合同 '${contract.contractId}' 的变更被拒绝`,
        reasonsZh: [`考核办法变更须自下一考核周期(自然月 1 日)起生效:生效日期 ${from} 不是某月 1 日(此处应为 ${first}),以免同一月份适用两套考核办法`],
      },
    );
  }
  const terms: ContractTerms = {
    ...proposed,
    amendment: {
      amendmentId: context.amendmentId,
      reason: request.reason,
      approvedBy: request.approvedBy,
      approvedAt: request.approvedAt,
      changes,
    },
  };
  return {
    ...contract,
    versions: [...contract.versions, terms],
    version: contract.version + 1,
    updatedAt: context.at.toISOString(),
    updatedBy: context.by,
  };
}

/**
 * Whether a rulebook change may take effect on `from`: the 1st of a month (考核办法 changes
 * apply from the next assessment period, DESIGN §3 "Rulebook amendments take effect on a
 * month's 1st"), or the contract's start date, which opens its first period (a draft's
 * original rulebook corrected before it takes effect).
 */
export function rulebookMayTakeEffect(contract: Pick<Contract, 'startDate'>, from: string): boolean {
  return from.endsWith('-01') || from === contract.startDate;
}

function firstOfNextMonth(date: string): string {
  return addDays(`${date.slice(0, 7)}-28`, 7).slice(0, 7) + '-01';
}

function pricingFamily(pricing: ContractPricing): 'lump_sum' | 'unit_rate' {
  return pricing.kind === 'unit_rate' ? 'unit_rate' : 'lump_sum';
}

/** What changed between two terms versions (issue 3: "a listing of versions shows what changed"). */
export interface TermsDiff {
  readonly scope: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly pricing: {
    readonly changed: boolean;
    readonly from?: ContractPricing;
    readonly to?: ContractPricing;
    /** For two rate cards: item codes added, removed, repriced or renamed. */
    readonly items?: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  };
  readonly standardRef: { readonly changed: boolean; readonly from?: StandardRef; readonly to?: StandardRef };
  readonly rulebook: RulebookDiff;
}

export function versionDiff(before: ContractTerms, after: ContractTerms): TermsDiff {
  const beforeScope = new Set(before.scope);
  const afterScope = new Set(after.scope);
  const pricingChanged = !sameValue(before.pricing, after.pricing);
  const standardChanged = !sameValue(before.standardRef, after.standardRef);
  return {
    scope: {
      added: after.scope.filter((id) => !beforeScope.has(id)).sort(),
      removed: before.scope.filter((id) => !afterScope.has(id)).sort(),
    },
    pricing: pricingChanged
      ? {
          changed: true,
          from: before.pricing,
          to: after.pricing,
          ...(before.pricing.kind === 'unit_rate' && after.pricing.kind === 'unit_rate' ? { items: rateCardDiff(before.pricing.items, after.pricing.items) } : {}),
        }
      : { changed: false },
    standardRef: standardChanged
      ? { changed: true, ...(before.standardRef ? { from: before.standardRef } : {}), ...(after.standardRef ? { to: after.standardRef } : {}) }
      : { changed: false },
    rulebook: diffRulebooks(before.rulebook, after.rulebook),
  };
}

/** The parts a diff shows as changed, in the fixed order of `termsParts`. */
export function changedParts(diff: TermsDiff): TermsPart[] {
  const parts: TermsPart[] = [];
  if (diff.scope.added.length > 0 || diff.scope.removed.length > 0) parts.push('scope');
  if (diff.pricing.changed) parts.push('pricing');
  if (diff.standardRef.changed) parts.push('standardRef');
  if (diff.rulebook.changed) parts.push('rulebook');
  return parts;
}

function rateCardDiff(before: readonly RateItem[], after: readonly RateItem[]): { added: string[]; removed: string[]; changed: string[] } {
  const beforeByCode = new Map(before.map((item) => [item.code, item]));
  const afterCodes = new Set(after.map((item) => item.code));
  return {
    added: after.filter((item) => !beforeByCode.has(item.code)).map((item) => item.code).sort(),
    removed: before.filter((item) => !afterCodes.has(item.code)).map((item) => item.code).sort(),
    changed: after
      .filter((item) => beforeByCode.has(item.code) && !sameValue(beforeByCode.get(item.code), item))
      .map((item) => item.code)
      .sort(),
  };
}
