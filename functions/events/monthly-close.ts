import * as z from 'zod';
import {
  closeContractMonth,
  closeMonth,
  closeReportOf,
  contractsInForce,
  monthToClose,
  type CloseDeps,
  type CloseReport,
  type ContractCloseOutcome,
} from '../../domain/payments/close';
import { ApiMonth } from '../../domain/assessment/months';
import { raiseRankingNotices, statementMonthResults, type NoticeStore } from '../../domain/payments/standings';
import type { TenantDirectory } from '../../domain/schedule/outcomes';
import { withSystemAudit } from '../shared/audit-context';
import { logger } from '../shared/logger';
import { monthlyCloseDeps } from './monthly-close-deps';

/**
 * The monthly close (issue 7; domain/payments/close.ts). One module, four steps chosen by
 * the payload's `step`:
 *
 * - `close` (the default, `{}`): every tenant (or `tenants`), its previous month in its zone
 *   (or `month`), all contracts in this one invocation. The local stack's timer and
 *   `npm run close` use it; a district of hundreds of contracts fits in the timeout.
 * - `list`, `compute`, `report`: the Step Functions state machine of the AWS stack
 *   (infra/constructs/monthly-close.ts): list the (tenant, month, contract) items → a Map of
 *   `compute` over them (one contract per invocation, retried on Lambda throttling, each
 *   failure caught per item) → `report`, which fails the execution when any contract failed,
 *   so the failure is visible in the console and alarms without stopping the others.
 */

const Month = ApiMonth;
const Close = z.object({ step: z.literal('close').optional(), tenants: z.array(z.string().min(1)).min(1).optional(), month: Month.optional() }).loose();
const Scope = z.object({ tenants: z.array(z.string().min(1)).min(1).optional(), month: Month.optional() }).loose();
/** The state machine passes its execution input whole as `input`; a direct call may give the fields at the top. */
const List = Scope.extend({ step: z.literal('list'), input: Scope.optional() }).loose();
const Item = z.object({ tenantId: z.string().min(1), month: Month, contractId: z.string().min(1) });
const Compute = Item.extend({ step: z.literal('compute') }).loose();
/** The Map's results: an outcome per item, or the item with the error the Catch recorded. */
const Report = z.object({ step: z.literal('report'), results: z.array(z.unknown()) }).loose();
export const MonthlyCloseEvent = z.union([List, Compute, Report, Close]);

export type CloseItem = z.infer<typeof Item>;

export interface MonthlyCloseDeps extends CloseDeps {
  readonly tenants: TenantDirectory;
  readonly notices: NoticeStore;
}

export type MonthlyCloseLog = Pick<typeof logger, 'info' | 'error'>;

export interface MonthlyCloseSummary {
  readonly reports: readonly CloseReport[];
  readonly failed: number;
  /** Notices raised to procurement by this run (a rerun raises none twice). */
  readonly noticesRaised: number;
}

/**
 * After a tenant-month is closed: its warnings, black-list entries and (at a quarter's end)
 * termination reviews as notices to procurement. A failure here is logged, not thrown: the
 * statements are what the close is for, and the next run raises what is missing.
 */
async function raiseNotices(deps: MonthlyCloseDeps, tenantId: string, month: string, log: MonthlyCloseLog): Promise<number> {
  try {
    const raised = await raiseRankingNotices({ results: statementMonthResults(deps.statements), contracts: deps.contracts, notices: deps.notices, clock: deps.clock }, tenantId, month);
    if (raised.length > 0) log.info('monthly close: notices raised to procurement', { tenantId, month, notices: raised.map((notice) => notice.noticeId) });
    return raised.length;
  } catch (error) {
    // Not swallowed: the next scheduled run is a month away. The invocation fails and is
    // retried; statements already closed write nothing again and a notice is raised once.
    log.error('monthly close: raising ranking notices failed; the invocation fails and is retried', { tenantId, month, error: error as Error });
    throw new Error(`raising the ranking notices of ${tenantId} ${month} failed`, { cause: error });
  }
}

/** The (tenant, month) pairs of a run: the named tenants or all, the named month or each tenant's previous one. */
async function periodsOf(deps: MonthlyCloseDeps, tenants: readonly string[] | undefined, month: string | undefined): Promise<{ tenantId: string; month: string }[]> {
  const tenantIds = tenants ?? (await deps.tenants.listTenantIds());
  const periods: { tenantId: string; month: string }[] = [];
  for (const tenantId of tenantIds) {
    const zone = await deps.tenants.zoneOf(tenantId);
    if (zone === undefined) throw new Error(`tenant ${tenantId} is not known`);
    periods.push({ tenantId, month: month ?? monthToClose(deps.clock.now(), zone) });
  }
  return periods;
}

/** A handler over the given ports (tests pass fakes or wrap stores to inject failures). */
export function createMonthlyCloseHandler(depsOf: () => MonthlyCloseDeps, log: MonthlyCloseLog = logger): (event: unknown) => Promise<unknown> {
  return withSystemAudit('monthly-close', 'monthlyClose', async (event: unknown) => {
    const parsed = MonthlyCloseEvent.safeParse(event ?? {});
    // A malformed payload is a wiring mistake in the schedule or the state machine: fail loudly.
    if (!parsed.success) throw new Error(`the monthly close event is malformed: ${parsed.error.message}`);
    const deps = depsOf();
    const input = parsed.data;
    if (input.step === 'list') {
      const items: CloseItem[] = [];
      for (const period of await periodsOf(deps, input.input?.tenants ?? input.tenants, input.input?.month ?? input.month)) {
        for (const contract of await contractsInForce(deps, period.tenantId, period.month)) items.push({ ...period, contractId: contract.contractId });
      }
      log.info('monthly close: listed', { items: items.length });
      return { items, count: items.length };
    }
    if (input.step === 'compute') {
      const outcome = await closeContractMonth(deps, input.tenantId, input.month, input.contractId);
      // A failure throws, so the state machine's Retry and Catch see it (transient ones are retried).
      if (outcome.outcome === 'failed') throw new Error(`${input.contractId} ${input.month}: ${outcome.error}`);
      return { ...outcome, tenantId: input.tenantId, month: input.month };
    }
    if (input.step === 'report') {
      const summary = reportOf(input.results, log);
      let noticesRaised = 0;
      for (const report of summary.reports) noticesRaised += await raiseNotices(deps, report.tenantId, report.month, log);
      if (summary.failed > 0) {
        const names = summary.reports.flatMap((report) => report.contracts.filter((c) => c.outcome === 'failed').map((c) => `${report.tenantId}/${c.contractId}`));
        throw new Error(`the monthly close failed for ${summary.failed} contract(s): ${names.join(', ')}`);
      }
      return { ...summary, noticesRaised };
    }
    const reports: CloseReport[] = [];
    let noticesRaised = 0;
    for (const period of await periodsOf(deps, input.tenants, input.month)) {
      const report = await closeMonth(deps, period);
      reports.push(report);
      const failures = report.contracts.filter((contract) => contract.outcome === 'failed');
      log.info('monthly close', { tenantId: report.tenantId, month: report.month, computed: report.computed, unchanged: report.unchanged, skipped: report.skipped, failed: report.failed });
      if (failures.length > 0) log.error('monthly close: contracts failed; a rerun retries only what is not closed', { tenantId: report.tenantId, month: report.month, failures });
      noticesRaised += await raiseNotices(deps, report.tenantId, report.month, log);
    }
    return { reports, failed: reports.reduce((sum, report) => sum + report.failed, 0), noticesRaised } satisfies MonthlyCloseSummary;
  });
}

/**
 * The state machine's last step: per tenant-month, the outcomes of the Map, where a caught
 * failure arrives as `{ item, error: { Error, Cause } }`. Throws when any contract failed.
 */
function reportOf(results: readonly unknown[], log: MonthlyCloseLog): Omit<MonthlyCloseSummary, 'noticesRaised'> {
  const byPeriod = new Map<string, { tenantId: string; month: string; outcomes: ContractCloseOutcome[] }>();
  const add = (tenantId: string, month: string, outcome: ContractCloseOutcome): void => {
    const key = `${tenantId}|${month}`;
    const entry = byPeriod.get(key) ?? { tenantId, month, outcomes: [] };
    entry.outcomes.push(outcome);
    byPeriod.set(key, entry);
  };
  for (const result of results) {
    const failed = z.object({ item: Item, error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).loose() }).safeParse(result);
    if (failed.success) {
      const { item, error } = failed.data;
      add(item.tenantId, item.month, { contractId: item.contractId, outcome: 'failed', error: causeOf(error.Cause) ?? error.Error ?? 'failed' });
      continue;
    }
    const done = z.object({ tenantId: z.string(), month: z.string(), contractId: z.string(), outcome: z.enum(['computed', 'unchanged', 'skipped']) }).loose().safeParse(result);
    if (done.success) add(done.data.tenantId, done.data.month, result as ContractCloseOutcome);
    else throw new Error(`the monthly close report got a result it cannot read: ${JSON.stringify(result).slice(0, 300)}`);
  }
  const reports = [...byPeriod.values()].map((entry) => closeReportOf(entry.tenantId, entry.month, entry.outcomes));
  const failed = reports.reduce((sum, report) => sum + report.failed, 0);
  log.info('monthly close report', { reports: reports.map(({ contracts: _, ...counts }) => counts) });
  return { reports, failed };
}

/** Lambda's error Cause is a JSON text `{ errorMessage, ... }`; the message is what a person needs. */
function causeOf(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const message = (JSON.parse(cause) as { errorMessage?: unknown }).errorMessage;
    return typeof message === 'string' ? message : cause;
  } catch {
    return cause;
  }
}

export const handler: (event: unknown) => Promise<unknown> = createMonthlyCloseHandler(monthlyCloseDeps);
