import { addDays, maxDate, minDate } from '../dates';
import type { Contract, ContractStatus } from './schema';
import { termsPeriods } from './terms';

/**
 * Issue 3: "A segment cannot be in two active contracts of the same service type over
 * overlapping dates." Which contracts hold segments: active AND suspended ones — a
 * suspended contract resumes on the same scope, so handing its segments to another
 * contractor meanwhile would double-book them on resumption. Drafts do not hold segments
 * (checked when they activate); terminated and expired ones no longer do.
 */
export const holdingStatuses: readonly ContractStatus[] = ['active', 'suspended'];

/** An inclusive range of calendar dates. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/**
 * For each segment ever in scope, the inclusive date ranges it is in scope, from the terms
 * history (a segment removed from the 16th is in scope until the 15th), clipped to the
 * contract's dates and merged where they touch. Also what a statement prorates by.
 */
export function segmentPeriods(contract: Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>): Map<string, DateRange[]> {
  const ranges = new Map<string, DateRange[]>();
  for (const period of termsPeriods(contract)) {
    for (const segmentId of period.terms.scope) {
      const list = ranges.get(segmentId) ?? [];
      const last = list[list.length - 1];
      if (last !== undefined && addDays(last.to, 1) >= period.from) list[list.length - 1] = { from: last.from, to: maxDate(last.to, period.to) };
      else list.push({ from: period.from, to: period.to });
      ranges.set(segmentId, list);
    }
  }
  return ranges;
}

export interface ScopeConflict {
  readonly segmentId: string;
  readonly otherContractId: string;
  readonly overlapFrom: string;
  readonly overlapTo: string;
}

/**
 * Every segment of `candidate` that another holding contract of the same tenant and service
 * type has in scope on the same days, as it would be once activated or amended. The
 * candidate's own status is ignored (a draft is checked as if active). Ordered by segment,
 * then other contract, then date.
 */
export function scopeConflicts(candidate: Contract, others: readonly Contract[]): ScopeConflict[] {
  const mine = segmentPeriods(candidate);
  const conflicts: ScopeConflict[] = [];
  for (const other of others) {
    if (other.contractId === candidate.contractId) continue;
    if (other.tenantId !== candidate.tenantId || other.serviceType !== candidate.serviceType) continue;
    if (!holdingStatuses.includes(other.status)) continue;
    for (const [segmentId, theirs] of segmentPeriods(other)) {
      for (const a of mine.get(segmentId) ?? []) {
        for (const b of theirs) {
          const from = maxDate(a.from, b.from);
          const to = minDate(a.to, b.to);
          if (from <= to) conflicts.push({ segmentId, otherContractId: other.contractId, overlapFrom: from, overlapTo: to });
        }
      }
    }
  }
  return conflicts.sort(
    (x, y) => compare(x.segmentId, y.segmentId) || compare(x.otherContractId, y.otherContractId) || compare(x.overlapFrom, y.overlapFrom),
  );
}

/** One line per conflict, for the ConflictError people read. */
export function describeConflicts(conflicts: readonly ScopeConflict[]): string {
  return conflicts
    .map((c) => `segment ${c.segmentId} is already in scope of contract ${c.otherContractId} from ${c.overlapFrom} to ${c.overlapTo}`)
    .join('; ');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same lines in Chinese (zh-CN callers), with the same ids and dates. */
export function describeConflictsZh(conflicts: readonly ScopeConflict[]): string {
  return conflicts.map((c) => `路段 ${c.segmentId} 在 ${c.overlapFrom} 至 ${c.overlapTo} 已在合同 ${c.otherContractId} 的范围内`).join('；');
}
