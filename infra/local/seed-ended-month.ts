import { addMonths } from '../../domain/assessment/months';
import { contractorIdFor } from '../../domain/contractors/identity';
import type { Contract } from '../../domain/contracts/schema';
import { addDays, localDate } from '../../domain/dates';
import type { StatementRecord } from '../../domain/payments/records';
import type { Segment } from '../../domain/segments/schema';
import type { AdapterRequest, AdapterResponse } from './http-server';
import {
  apiCaller,
  demoContractors,
  demoMunicipalContract,
  demoTender,
  ensureActive,
  expectStatus,
  idempotencyKey,
  listAll,
  municipalScope,
  SeedError,
  seeded,
  type ApiCaller,
  type SeededContract,
  type SeedStep,
} from './seed-procurement';

/**
 * A month that has ended, in the demo (issue 15): the demo's other contracts begin on the 1st
 * of the running month, and a statement is approved only once its month is over, so without
 * this a fresh demo could not show the four-eyes close (demo-finance reviews, demo-finance-2
 * approves) in the console.
 *
 * What: a direct unit-rate municipal contract (定性, paid per accepted repair) from last month's
 * 1st, for 沪静 on the roads of 南京西路 and 石门二路 streets that the demo municipal contract
 * leaves out — the branch roads and alleys without a 严禁/严控 flag — so those two streets have
 * their roads kept end to end and 静安寺 street stays free for tendering by hand. Its last
 * month's statement is computed and reviewed by demo-finance, for demo-finance-2 to approve.
 *
 * Why this contract: nothing of last month can be recorded now (a proof's photo must be taken
 * in the task's window, a work order is accepted today, so in the running month), so last
 * month's statement shows what the district had: no accepted work orders, no findings, no
 * recorded misses. For a lump-sum cleaning contract that would pay the whole monthly fee and a
 * quality bonus for a month without one proof — a statement no finance officer could defend.
 * A unit-rate contract pays for accepted, measured work only: its statement of a month with
 * none is ¥0.00 on every line, which is what the district owes.
 *
 * Run after the missed-task sweep's first catch-up (start.ts): a contract entered once the
 * sweep has a checkpoint is swept from there on, as in AWS for a contract registered late
 * (domain/schedule/sweep.ts); entered before it, the catch-up would mark last month's patrols
 * missed after the review, and the reviewed statement would no longer say what the facts do.
 *
 * Idempotent: the contract is found by contractor and title; a statement that exists is left
 * as it is (a draft is reviewed; reviewed, approved or paid stays).
 */

export const demoEndedMonthContract = {
  title: '静安区南京西路街道、石门二路街道支路及背街小巷市政设施维修养护合同',
  streets: demoTender.streets,
  performanceBondFen: 3_000_000,
  rulebookTemplateId: demoMunicipalContract.rulebookTemplateId,
  standardRef: demoMunicipalContract.standardRef,
  rateCard: demoMunicipalContract.rateCard,
} as const;

/** From last month's 1st (tenant zone), one year. */
export function endedMonthContractDates(now: Date, zone: string): { readonly startDate: string; readonly endDate: string; readonly month: string } {
  const month = addMonths(localDate(now, zone).slice(0, 7), -1);
  const startDate = `${month}-01`;
  const endDate = addDays(`${addMonths(month, 12)}-01`, -1);
  return { startDate, endDate, month };
}

export interface EndedMonthSeedOptions {
  readonly tenantId: string;
  readonly zone: string;
  readonly dispatch: (request: AdapterRequest) => Promise<AdapterResponse>;
  /** A procurement officer's bearer token of the tenant. */
  readonly procurementToken: string;
  /** demo-finance's bearer token: computes and reviews. */
  readonly financeToken: string;
  readonly now?: Date;
}

export interface EndedMonthSeedOutcome {
  readonly contract: SeededContract;
  readonly month: string;
  /** The statement's status after the seed, and whether the seed computed it. */
  readonly statement: { readonly status: StatementRecord['status']; readonly outcome: SeedStep; readonly reviewedBy: string | undefined };
}

/** Seeds (or finds) the ended month's contract and its reviewed statement; throws SeedError when the API refuses. */
export async function seedDemoEndedMonth(options: EndedMonthSeedOptions): Promise<EndedMonthSeedOutcome> {
  const procurement = apiCaller(options.dispatch, options.procurementToken);
  const finance = apiCaller(options.dispatch, options.financeToken);
  const dates = endedMonthContractDates(options.now ?? new Date(), options.zone);
  const { contract, outcome } = await ensureEndedMonthContract(procurement, contractorIdFor(options.tenantId, demoContractors.municipal.code), dates);
  const statement = await ensureReviewedStatement(finance, contract.contractId, dates.month);
  return { contract: seeded(contract, outcome), month: dates.month, statement };
}

async function ensureEndedMonthContract(api: ApiCaller, contractorId: string, dates: { readonly startDate: string; readonly endDate: string }): Promise<{ contract: Contract; outcome: SeedStep }> {
  const existing = (await listAll<Contract>(api, `/v1/contracts?contractorId=${contractorId}&serviceType=municipal`)).find((contract) => contract.title === demoEndedMonthContract.title);
  if (existing !== undefined) return ensureActive(api, existing, 'the ended month contract', 'existed');
  const [lines, held] = await Promise.all([
    Promise.all(demoEndedMonthContract.streets.map((street) => listAll<Segment>(api, `/v1/segments?street=${encodeURIComponent(street)}`))).then((lists) => lists.flat()),
    municipalScope(api),
  ]);
  const heldIds = new Set(held.map((segment) => segment.segmentId));
  const scope = lines.filter((segment) => (segment.geometry.type === 'LineString' || segment.geometry.type === 'MultiLineString') && !heldIds.has(segment.segmentId));
  if (scope.length === 0) throw new SeedError(`no unflagged branch roads or alleys in ${demoEndedMonthContract.streets.join(', ')} for the ended month contract`);
  const body = {
    contractorId,
    serviceType: 'municipal',
    title: demoEndedMonthContract.title,
    startDate: dates.startDate,
    endDate: dates.endDate,
    performanceBondFen: demoEndedMonthContract.performanceBondFen,
    scope: scope.map((segment) => segment.segmentId),
    pricing: { kind: 'unit_rate', items: demoEndedMonthContract.rateCard },
    standardRef: demoEndedMonthContract.standardRef,
    rulebookTemplateId: demoEndedMonthContract.rulebookTemplateId,
  };
  const created = await api.call<Contract>('POST', '/v1/contracts', { body, key: idempotencyKey('contract:ended-month', body) });
  expectStatus(created, 201, 'creating the ended month contract');
  return ensureActive(api, created.json, 'the ended month contract', 'created');
}

async function ensureReviewedStatement(api: ApiCaller, contractId: string, month: string): Promise<EndedMonthSeedOutcome['statement']> {
  const path = `/v1/contracts/${contractId}/statements/${month}`;
  let record: StatementRecord;
  let outcome: SeedStep = 'existed';
  const found = await api.call<StatementRecord>('GET', path);
  if (found.status === 200) record = found.json;
  else {
    expectStatus(found, 404, `reading ${path}`);
    const computed = await api.call<StatementRecord>('POST', `${path}/computations`, { body: {}, key: idempotencyKey(`compute:${contractId}:${month}`, null) });
    if (computed.status !== 201 && computed.status !== 200) expectStatus(computed, 201, `computing ${path}`);
    record = computed.json;
    outcome = 'created';
  }
  if (record.status === 'draft') {
    const reviewed = await api.call<StatementRecord>('POST', `${path}/review`, { body: {}, ifMatch: record.version, key: idempotencyKey(`review:${contractId}:${month}:${record.version}`, null) });
    expectStatus(reviewed, 200, `reviewing ${path}`);
    record = reviewed.json;
  }
  return { status: record.status, outcome, reviewedBy: record.review?.by };
}
