import * as z from 'zod';
import { addMonths, addQuarters, ApiMonth, ApiQuarter, quarterMonths } from '../assessment/months';
import type { ContractStore } from '../contracts/ports';
import type { Contract } from '../contracts/schema';
import { ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock, Page, PageRequest } from '../ports';
import type { Listing } from '../rulebooks/schema';
import { ServiceType } from '../service-types';
import { creditWindowMonths } from '../tenders/credit';
import type { CreditHistoryReader } from '../tenders/ports';
import { monthToClose } from './close';
import type { StatementStore, StatementSummary } from './ports';
import { creditHistoryOf, listsForMonth, rankMonth, rankQuarter, terminationReviews, type ListEntry, type MonthResult, type Ranking, type TerminationReview } from './ranking';
import type { StatementStatus } from './records';
import { rulebookForMonth } from './statement';

/**
 * Rankings, red/black lists, warnings and termination reviews read from the stored
 * statements (issue 7 "Rankings and credit"; the pure rules are ranking.ts), and the notices
 * to procurement they raise.
 *
 * Which statements count: every contract-month's CURRENT record, whatever its status. On the
 * 1st the close has just computed drafts, and procurement wants the warnings then, not weeks
 * later after approval; a notice records the score and status it was raised on, and a later
 * recompute does not withdraw it (procurement judges it; terminating is a person's decision).
 */

/** The month results (ranking.ts `MonthResult`) of a tenant-month, one per computed contract. */
export interface MonthResultReader {
  monthResults(tenantId: string, month: string): Promise<readonly MonthResult[]>;
}

export const noticeKinds = ['warning', 'black_list', 'termination_review'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** A notice to procurement (warning, black list, termination review), raised once per contract and period. */
export interface RankingNotice {
  readonly tenantId: string;
  /** `{period}/{kind}/{contractId}`: a rerun raises nothing twice. */
  readonly noticeId: string;
  readonly kind: NoticeKind;
  /** `YYYY-MM` (lists) or `YYYY-Qn` (termination reviews). */
  readonly period: string;
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  readonly reason: string;
  readonly raisedAt: string;
}

export interface NoticeStore {
  /** Writes the notices that do not exist yet; returns those written. */
  raise(notices: readonly RankingNotice[]): Promise<readonly RankingNotice[]>;
  /** Newest period first. */
  list(tenantId: string, page: PageRequest): Promise<Page<RankingNotice>>;
}

export interface StandingsDeps {
  readonly results: MonthResultReader;
  readonly contracts: Pick<ContractStore, 'list'>;
}

export interface NoticeDeps extends StandingsDeps {
  readonly notices: NoticeStore;
  readonly clock: Clock;
}


export const RankingsQuery = z
  .object({
    month: ApiMonth.optional(),
    quarter: ApiQuarter.optional(),
    serviceType: ServiceType.optional(),
  })
  .refine((query) => (query.month === undefined) !== (query.quarter === undefined), { message: 'give exactly one of month and quarter', path: ['month'] })
  .meta({ id: 'RankingsQuery' });
export type RankingsQuery = z.infer<typeof RankingsQuery>;

export interface Standings {
  /** `YYYY-MM` or `YYYY-Qn`. */
  readonly period: string;
  readonly rankings: readonly Ranking[];
  /** Red, black and warning entries of the month (of the quarter's last month for a quarter). */
  readonly lists: readonly ListEntry[];
  /** Termination reviews met at the quarter (for a month: at its quarter, once the month is the quarter's last). */
  readonly terminationReviews: readonly TerminationReview[];
}

/** How far back black-list runs and termination reviews can look (the rulebook schema's maxima). */
const maxMonthsBack = 24;
const maxQuartersBack = 12;

/** The rankings of a month or a quarter (policy `ranking:read`). */
export async function readStandings(deps: StandingsDeps, actor: Actor, query: RankingsQuery): Promise<Standings> {
  authorize(actor, 'ranking:read');
  const parsed = RankingsQuery.safeParse(query);
  if (!parsed.success) throw new ValidationError('invalid ranking query', parsed.error.issues.map((issue) => ({ path: `query.${issue.path.join('.')}`, message: issue.message })));
  const { month, quarter, serviceType } = parsed.data;
  const standings = await standingsOf(deps, actor.tenantId, month !== undefined ? { month } : { quarter: quarter as string });
  if (serviceType === undefined) return standings;
  return {
    ...standings,
    rankings: standings.rankings.filter((ranking) => ranking.serviceType === serviceType),
    lists: standings.lists.filter((entry) => entry.serviceType === serviceType),
    terminationReviews: standings.terminationReviews.filter((review) => review.serviceType === serviceType),
  };
}

async function standingsOf(deps: StandingsDeps, tenantId: string, period: { month: string } | { quarter: string }): Promise<Standings> {
  const contracts = await contractsOf(deps, tenantId);
  const lastMonth = 'month' in period ? period.month : quarterMonths(period.quarter)[2];
  // A month that ends a quarter also answers the quarter's termination reviews.
  const quarter = 'quarter' in period ? period.quarter : Number(lastMonth.slice(5, 7)) % 3 === 0 ? `${lastMonth.slice(0, 4)}-Q${Number(lastMonth.slice(5, 7)) / 3}` : undefined;
  // Months to read: the period, the black-list runs behind its last month, and the quarters a
  // termination review needs; each bounded by the largest rule among the tenant's contracts.
  const rules = [...contracts.values()].flatMap((contract) => contract.versions.map((version) => version.rulebook.listing));
  const runMonths = Math.min(maxMonthsBack, Math.max(1, ...rules.map((listing) => listing.blackAfterConsecutiveMonths ?? 1)));
  const reviewQuarters = Math.min(maxQuartersBack, Math.max(1, ...rules.map((listing) => listing.terminationReview?.consecutiveQuarters ?? 1)));
  const months = new Set<string>();
  for (let back = 0; back < runMonths; back += 1) months.add(addMonths(lastMonth, -back));
  if (quarter !== undefined) for (let back = 0; back < reviewQuarters; back += 1) for (const m of quarterMonths(addQuarters(quarter, -back))) months.add(m);
  const results = (await Promise.all([...months].sort().map((m) => deps.results.monthResults(tenantId, m)))).flat();
  const listingOf = (contractId: string): Listing | undefined => listingFor(contracts.get(contractId), lastMonth);
  return {
    period: 'month' in period ? period.month : period.quarter,
    rankings: 'month' in period ? rankMonth(results, period.month) : rankQuarter(results, period.quarter),
    lists: listsForMonth(results, lastMonth, listingOf),
    terminationReviews: quarter === undefined ? [] : terminationReviews(results, quarter, listingOf),
  };
}

/** Every contract of the tenant (hundreds: a few pages), for each one's rulebook listing. */
async function contractsOf(deps: StandingsDeps, tenantId: string): Promise<Map<string, Contract>> {
  const contracts = new Map<string, Contract>();
  let cursor: string | undefined;
  do {
    const page = await deps.contracts.list(tenantId, {}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const contract of page.items) contracts.set(contract.contractId, contract);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return contracts;
}

/** The listing of the rulebook in force in `month`, else of the latest terms (a contract ended before it). */
function listingFor(contract: Contract | undefined, month: string): Listing | undefined {
  if (contract === undefined) return undefined;
  return rulebookForMonth(contract, month)?.listing ?? contract.versions.at(-1)?.rulebook.listing;
}

/**
 * Raises the notices of a closed month to procurement: a warning or black-list entry per
 * contract below the line, and a termination review when the month ends a quarter. Each
 * notice once (its id names period, kind and contract). Called by the monthly close.
 */
export async function raiseRankingNotices(deps: NoticeDeps, tenantId: string, month: string): Promise<readonly RankingNotice[]> {
  const standings = await standingsOf(deps, tenantId, { month });
  const raisedAt = deps.clock.now().toISOString();
  const notices: RankingNotice[] = [
    ...standings.lists
      .filter((entry) => entry.list !== 'red')
      .map((entry): RankingNotice => {
        const kind: NoticeKind = entry.list === 'black' ? 'black_list' : 'warning';
        return { tenantId, noticeId: `${month}/${kind}/${entry.contractId}`, kind, period: month, contractId: entry.contractId, contractorId: entry.contractorId, serviceType: entry.serviceType, reason: entry.reason, raisedAt };
      }),
    ...standings.terminationReviews.map((review): RankingNotice => {
      const quarter = review.quarters.at(-1)?.quarter ?? month;
      return { tenantId, noticeId: `${quarter}/termination_review/${review.contractId}`, kind: 'termination_review', period: quarter, contractId: review.contractId, contractorId: review.contractorId, serviceType: review.serviceType, reason: review.reason, raisedAt };
    }),
  ];
  return deps.notices.raise(notices);
}

export const ListNoticesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().min(1).max(2000).optional() })
  .meta({ id: 'ListNoticesQuery' });
export type ListNoticesQuery = z.input<typeof ListNoticesQuery>;

/** Notices to procurement, newest period first (policy `notice:read`). */
export async function listNotices(deps: Pick<NoticeDeps, 'notices'>, actor: Actor, query: ListNoticesQuery): Promise<Page<RankingNotice>> {
  authorize(actor, 'notice:read');
  const { limit, cursor } = ListNoticesQuery.parse(query);
  return deps.notices.list(actor.tenantId, { limit, ...(cursor === undefined ? {} : { cursor }) });
}

/**
 * Month results from the statements store (the ranking record of each current record).
 * Late orders and valid complaints come from the record's kept assessment (issue 15), else,
 * for a record computed before it was kept, from the kept computation's facts (one read per record).
 */
export function statementMonthResults(store: Pick<StatementStore, 'listMonth' | 'getComputation'>, filter: { readonly statuses?: readonly StatementStatus[] } = {}): MonthResultReader {
  return {
    async monthResults(tenantId, month) {
      const summaries: StatementSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listMonth(tenantId, month, {}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
        summaries.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const counted = summaries.filter((summary) => filter.statuses === undefined || filter.statuses.includes(summary.status));
      return Promise.all(
        counted.map(async (summary): Promise<MonthResult> => {
          const counts = summary.assessment?.counts ?? (await countsOf(store, summary));
          return {
            contractId: summary.contractId,
            contractorId: summary.contractorId,
            serviceType: summary.serviceType,
            month: summary.month,
            scoreX100: summary.scoreX100,
            lateOrders: counts.lateOrders,
            validComplaints: counts.validComplaints,
          };
        }),
      );
    },
  };
}

async function countsOf(store: Pick<StatementStore, 'getComputation'>, summary: StatementSummary): Promise<{ lateOrders: number; validComplaints: number }> {
  const kept = await store.getComputation(summary.tenantId, summary.contractId, summary.month, summary.computeVersion);
  if (kept === undefined) throw new Error(`the computation v${summary.computeVersion} of ${summary.contractId} ${summary.month} is missing`);
  const facts = kept.inputs.monthFacts.facts;
  return { lateOrders: facts.lateOrders.length, validComplaints: facts.validComplaints.length };
}

/**
 * Tender evaluation's contractor credit (domain/tenders/ports.ts `CreditHistoryReader`) from
 * this history: the contractor's approved or paid statements of the last `creditWindowMonths`
 * closed months (the month before the current one in the tenant's zone, and the 11 before it),
 * through ranking.ts `creditHistoryOf`, so the formula is tenders/credit.ts `creditScore`.
 * Only final statements count: a tender award is a legal act, and a draft's score may still
 * change. Twelve tenant-month queries, filtered in memory to the contractor.
 */
export function statementCreditHistory(
  results: MonthResultReader,
  clock: Clock,
  zoneOf: (tenantId: string) => Promise<string>,
): CreditHistoryReader {
  return {
    async history(tenantId, contractorId) {
      const asOf = monthToClose(clock.now(), await zoneOf(tenantId));
      const months = Array.from({ length: creditWindowMonths }, (_, back) => addMonths(asOf, -back));
      const all = (await Promise.all(months.map((month) => results.monthResults(tenantId, month)))).flat();
      return creditHistoryOf(all.filter((result) => result.contractorId === contractorId), contractorId, asOf);
    },
  };
}
