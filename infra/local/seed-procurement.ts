import { createHash } from 'node:crypto';
import { contractorIdFor } from '../../domain/contractors/identity';
import type { Contractor } from '../../domain/contractors/schema';
import { contractIdFrom } from '../../domain/contracts/contract';
import type { Contract, ContractPricing, RateItem } from '../../domain/contracts/schema';
import { latestTerms } from '../../domain/contracts/terms';
import { addDays, localDate } from '../../domain/dates';
import type { Segment } from '../../domain/segments/schema';
import { awardedContractUlid } from '../../domain/tenders/identity';
import type { EvaluationMethod, EvaluationTable, Tender } from '../../domain/tenders/schema';
import type { AdapterRequest, AdapterResponse } from './http-server';

/**
 * The demo district's procurement (issue 3 "The local demo seed grows"): three contractors, a
 * cleaning tender taken from bids to award, and two active contracts — the awarded lump-sum
 * cleaning contract and a direct unit-rate municipal contract — over the seeded segments.
 *
 * Everything goes in through the HTTP API as the demo procurement officer, so the seed also
 * proves the routes a new user would call. Idempotent by looking first: each record is found
 * by what identifies it (a contractor by its code, the tender and the direct contract by their
 * titles, the awarded contract by the id its award derives), so a persisted folder is never
 * seeded twice; a run interrupted half-way resumes where it stopped (a tender left open gets
 * its missing bids, a closed one its evaluation, an evaluated one its award, a draft contract
 * its activation). POSTs carry an Idempotency-Key derived from a stable name and the body, so
 * a retried request replays instead of writing again.
 *
 * Companies, codes and prices are fictitious demo data, realistic in form: the codes are
 * valid unified social credit codes (both check characters hold), the prices are of the order
 * Shanghai districts pay, not quotes from any tender.
 */

/** Demo companies (fictitious). `cleaning` is the company the demo contractor user works for. */
export const demoContractors = {
  cleaning: {
    code: '91310106MA1FL3XK9C',
    name: '上海静洁环卫服务有限公司',
    nameEn: 'Shanghai Jingjie Sanitation Services Co., Ltd.',
  },
  municipal: {
    code: '91310106MA1G8Q2P58',
    name: '上海沪静市政养护工程有限公司',
    nameEn: 'Shanghai Hujing Municipal Maintenance Engineering Co., Ltd.',
  },
  greening: {
    code: '91310112MA1J4W6R4N',
    name: '上海绿静园林绿化工程有限公司',
    nameEn: 'Shanghai Lüjing Landscaping Engineering Co., Ltd.',
  },
} as const;

export type DemoContractorKey = keyof typeof demoContractors;
const contractorKeys = Object.keys(demoContractors) as DemoContractorKey[];

/**
 * The cleaning tender: one lump-sum lot over every segment of two streets, 综合评分 with
 * price 30 (财政部令第87号: a services tender's price share is 10–30 %), technical 60 and
 * credit 10 (neutral for every bidder until assessments exist: 8.00 each). Three bids, since
 * a public tender with fewer than three responsive suppliers is normally abandoned (政府采购法
 * 第三十六条; the evaluation warns). 静洁 bids highest but has the best technical plan and wins:
 * price 54.9/58.2 x 30 = 28.30 + technical 88.5 x 0.6 = 53.10 → 89.40, against 沪静 28.59 +
 * 48.60 → 85.19 and 绿静 30.00 + 45.60 → 83.60.
 */
export const demoTender = {
  title: '静安区南京西路街道、石门二路街道道路保洁服务采购',
  streets: ['南京西路街道', '石门二路街道'],
  lotId: 'lot_1',
  lotName: '第一标段 南京西路—石门二路片区',
  // ¥600,000.00 a month for about 326 000 m²: some 22 元/m²·年.
  ceilingMonthlyFen: 60_000_000,
  evaluation: { method: 'weighted', priceWeight: 30, technicalWeight: 60, creditWeight: 10 } satisfies EvaluationMethod,
  bids: [
    { contractor: 'greening', monthlyFen: 54_900_000, technicalScoreX100: 7_600 },
    { contractor: 'municipal', monthlyFen: 57_600_000, technicalScoreX100: 8_100 },
    { contractor: 'cleaning', monthlyFen: 58_200_000, technicalScoreX100: 8_850 },
  ] satisfies ReadonlyArray<{ contractor: DemoContractorKey; monthlyFen: number; technicalScoreX100: number }>,
  contractTitle: '静安区南京西路街道、石门二路街道道路保洁服务合同(第一标段)',
  // 履约保证金 about 5 % of a year's fee.
  performanceBondFen: 35_000_000,
  rulebookTemplateId: 'cleaning-standard',
  // The shipped service standard of the cleaning template (domain/schedule/templates).
  standardRef: { standardId: 'cleaning-standard', version: 1 },
} as const;

/**
 * The direct municipal contract: a rate card (定性, paid per repair) over the district's
 * 严禁路 / 严控路 and primary roads — roads only, not the parks and squares, whose facilities a
 * park manager keeps. It overlaps the cleaning contract's segments, which is allowed: another
 * service type.
 */
export const demoMunicipalContract = {
  title: '静安区严禁路、严控路及主干路市政设施维修养护合同',
  performanceBondFen: 10_000_000,
  rulebookTemplateId: 'municipal-roads',
  standardRef: { standardId: 'municipal-roads', version: 1 },
  rateCard: [
    { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 118_000 },
    { code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 },
    { code: 'M-03', nameZh: '修复护栏', unit: 'm', unitFen: 23_000 },
    { code: 'M-04', nameZh: '修补车行道坑槽', unit: 'm²', unitFen: 28_000 },
  ] satisfies readonly RateItem[],
} as const;

/** How long the two demo contracts run: from the 1st of the current month (tenant zone), two years. */
export function demoContractDates(now: Date, zone: string): { readonly startDate: string; readonly endDate: string } {
  const today = localDate(now, zone);
  const startDate = `${today.slice(0, 7)}-01`;
  const endDate = addDays(`${Number(today.slice(0, 4)) + 2}-${today.slice(5, 7)}-01`, -1);
  return { startDate, endDate };
}

export type SeedStep = 'created' | 'existed';

export interface SeededContractor {
  readonly key: DemoContractorKey;
  readonly contractorId: string;
  readonly code: string;
  readonly name: string;
  readonly outcome: SeedStep;
}

export interface SeededTender {
  readonly tenderId: string;
  readonly title: string;
  readonly status: Tender['status'];
  readonly lotId: string;
  readonly awardedContractorId: string | undefined;
  readonly outcome: SeedStep;
}

export interface SeededContract {
  readonly contractId: string;
  readonly title: string;
  readonly status: Contract['status'];
  readonly serviceType: Contract['serviceType'];
  readonly contractorId: string;
  readonly origin: Contract['origin']['kind'];
  readonly pricing: ContractPricing;
  readonly segmentCount: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly outcome: SeedStep;
}

export interface ProcurementSeedOutcome {
  readonly contractors: readonly SeededContractor[];
  readonly tender: SeededTender;
  readonly contracts: { readonly cleaning: SeededContract; readonly municipal: SeededContract };
  /** Time spent waiting for the tender's close instant (0 when nothing was tendered). */
  readonly waitedMs: number;
}

/** A refused seed request; the message carries the API's problem+json. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

export interface ProcurementSeedOptions {
  readonly tenantId: string;
  readonly zone: string;
  /** The adapter's in-process dispatch. */
  readonly dispatch: (request: AdapterRequest) => Promise<AdapterResponse>;
  /** A procurement officer's bearer token of the tenant. */
  readonly token: string;
  /** Dates the contracts from this instant's month; the tender uses the real clock, as the API does. */
  readonly now?: Date;
}

/** Seeds (or finds) the demo procurement records; throws SeedError when the API refuses a step. */
export async function seedDemoProcurement(options: ProcurementSeedOptions): Promise<ProcurementSeedOutcome> {
  const api = apiCaller(options.dispatch, options.token);
  const dates = demoContractDates(options.now ?? new Date(), options.zone);

  const idOf = (key: DemoContractorKey): string => contractorIdFor(options.tenantId, demoContractors[key].code);

  // The segments are listed only when something is to be created (not on a re-run), and
  // independent steps go side by side: the seed is part of every `npm start`.
  const lotSegments = once(() =>
    Promise.all(demoTender.streets.map((street) => listAll<Segment>(api, `/v1/segments?street=${encodeURIComponent(street)}`))).then((lists) => lists.flat()),
  );
  const municipalSegments = once(() => municipalScope(api));
  const contractors = await ensureContractors(api, options.tenantId);
  const [{ tender, tenderOutcome, cleaning, waitedMs }, municipal] = await allSettled([
    ensureAwardedTender(api, idOf, lotSegments, dates).then(async ({ tender, outcome, awardedNow, waitedMs }) => ({
      tender,
      tenderOutcome: outcome,
      waitedMs,
      cleaning: await ensureActive(api, await awardedContract(api, tender), 'the awarded cleaning contract', awardedNow ? 'created' : 'existed'),
    })),
    // Another service type: its scope may overlap the cleaning contract's.
    ensureMunicipalContract(api, idOf('municipal'), municipalSegments, dates),
  ]);

  return {
    contractors,
    tender: {
      tenderId: tender.tenderId,
      title: tender.title,
      status: tender.status,
      lotId: demoTender.lotId,
      awardedContractorId: tender.lots.find((lot) => lot.lotId === demoTender.lotId)?.awardedContractorId,
      outcome: tenderOutcome,
    },
    contracts: { cleaning: seeded(cleaning.contract, cleaning.outcome), municipal: seeded(municipal.contract, municipal.outcome) },
    waitedMs,
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

/** Registers the demo contractors the tenant does not have yet (found by their codes). */
async function ensureContractors(api: ApiCaller, tenantId: string): Promise<SeededContractor[]> {
  const registered = new Set((await listAll<Contractor>(api, '/v1/contractors')).map((contractor) => contractor.code));
  return allSettled<SeededContractor[]>(
    contractorKeys.map(async (key): Promise<SeededContractor> => {
      const { code, name, nameEn } = demoContractors[key];
      const contractorId = contractorIdFor(tenantId, code);
      if (registered.has(code)) return { key, contractorId, code, name, outcome: 'existed' };
      const body = { code, name, nameEn };
      const answer = await api.call<Contractor>('POST', '/v1/contractors', { body, key: idempotencyKey(`contractor:${code}`, body) });
      // 409: registered meanwhile, which is what was wanted.
      if (answer.status !== 409) expectStatus(answer, 201, `registering ${name}`);
      return { key, contractorId, code, name, outcome: answer.status === 201 ? 'created' : 'existed' };
    }),
  );
}

/** 严禁路, 严控路 and primary roads of every street: line segments only. */
export async function municipalScope(api: ApiCaller): Promise<Segment[]> {
  const lists = await Promise.all(['flag=strict', 'flag=controlled', 'grade=primary'].map((filter) => listAll<Segment>(api, `/v1/segments?${filter}`)));
  const byId = new Map(lists.flat().map((segment) => [segment.segmentId, segment]));
  return [...byId.values()].filter((segment) => segment.geometry.type === 'LineString' || segment.geometry.type === 'MultiLineString');
}

/**
 * Finds the demo tender by its title, or opens it, and takes it as far as `awarded`. The API
 * allows no tender whose close instant is already past and no close before that instant, and
 * a bid must be submitted before it: so the tender closes a moment after it is opened, the
 * bids are recorded as submitted before then, and the seed waits out what is left.
 */
async function ensureAwardedTender(
  api: ApiCaller,
  idOf: (key: DemoContractorKey) => string,
  lotSegments: () => Promise<readonly Segment[]>,
  dates: { readonly startDate: string; readonly endDate: string },
): Promise<{ tender: Tender; outcome: SeedStep; awardedNow: boolean; waitedMs: number }> {
  const existing = (await listAll<Tender>(api, '/v1/tenders')).find((tender) => tender.title === demoTender.title);
  let tender = existing === undefined ? await openTender(api, await lotSegments()) : await getTender(api, existing.tenderId);
  const outcome: SeedStep = existing === undefined ? 'created' : 'existed';
  const path = `/v1/tenders/${tender.tenderId}`;
  let waitedMs = 0;
  let awardedNow = false;

  if (tender.status === 'open') {
    const closesAt = Date.parse(tender.closesAt);
    const bids = await api.call<{ items: Array<{ contractorId: string }> }>('GET', `${path}/bids?lotId=${demoTender.lotId}`);
    expectStatus(bids, 200, `listing the bids of ${tender.tenderId}`);
    const bidders = new Set(bids.json.items.map((bid) => bid.contractorId));
    for (const bid of demoTender.bids) {
      if (bidders.has(idOf(bid.contractor))) continue;
      const body = {
        lotId: demoTender.lotId,
        contractorId: idOf(bid.contractor),
        // Received now, or (resuming a tender whose close has passed) just before the close.
        submittedAt: new Date(Math.min(Date.now(), closesAt - 1)).toISOString(),
        price: { kind: 'lump_sum', monthlyFen: bid.monthlyFen },
        technicalScoreX100: bid.technicalScoreX100,
      };
      expectStatus(await api.call('POST', `${path}/bids`, { body, key: idempotencyKey(`bid:${tender.tenderId}:${bid.contractor}`, body) }), 201, `recording ${bid.contractor}'s bid`);
    }
    const waitStarted = Date.now();
    // A timer may fire a millisecond before the wall clock agrees: look again until it does.
    while (Date.now() <= closesAt) await sleep(closesAt - Date.now() + 2);
    waitedMs = Date.now() - waitStarted;
    const closed = await api.call<Tender>('POST', `${path}/close`, { ifMatch: tender.version });
    expectStatus(closed, 200, `closing ${tender.tenderId}`);
    tender = closed.json;
  }
  if (tender.status === 'closed') {
    const evaluated = await api.call<EvaluationTable>('POST', `${path}/lots/${demoTender.lotId}/evaluation`, { ifMatch: tender.version });
    expectStatus(evaluated, 200, `evaluating ${tender.tenderId}/${demoTender.lotId}`);
    tender = await getTender(api, tender.tenderId);
  }
  if (tender.status === 'evaluated') {
    const body = {
      title: demoTender.contractTitle,
      ...dates,
      performanceBondFen: demoTender.performanceBondFen,
      standardRef: demoTender.standardRef,
      rulebookTemplateId: demoTender.rulebookTemplateId,
    };
    const awarded = await api.call<{ tender: Tender }>('POST', `${path}/lots/${demoTender.lotId}/award`, {
      body,
      ifMatch: tender.version,
      key: idempotencyKey(`award:${tender.tenderId}:${demoTender.lotId}:${tender.version}`, body),
    });
    expectStatus(awarded, 201, `awarding ${tender.tenderId}/${demoTender.lotId}`);
    tender = awarded.json.tender;
    awardedNow = true;
  }
  if (tender.status !== 'awarded') {
    throw new SeedError(`the demo tender ${tender.tenderId} is ${tender.status}, not awarded; its lot: ${JSON.stringify(tender.lots.find((lot) => lot.lotId === demoTender.lotId)?.evaluationTable?.rows ?? [])}`);
  }
  return { tender, outcome, awardedNow, waitedMs };
}

/** Opens the tender closing a moment from now; a slower machine than expected gets a longer moment. */
async function openTender(api: ApiCaller, lotSegments: readonly Segment[]): Promise<Tender> {
  if (lotSegments.length === 0) throw new SeedError(`no segments in ${demoTender.streets.join(', ')} to tender`);
  for (let leadMs = 300; ; leadMs *= 2) {
    const body = {
      title: demoTender.title,
      serviceType: 'cleaning',
      evaluation: demoTender.evaluation,
      closesAt: new Date(Date.now() + leadMs).toISOString(),
      lots: [
        {
          name: demoTender.lotName,
          segmentIds: lotSegments.map((segment) => segment.segmentId),
          pricing: { kind: 'lump_sum', ceilingMonthlyFen: demoTender.ceilingMonthlyFen },
        },
      ],
    };
    const created = await api.call<Tender & { errors?: Array<{ field: string }> }>('POST', '/v1/tenders', { body, key: idempotencyKey('tender', body) });
    const errors = created.status === 400 ? (created.json.errors ?? []) : [];
    const closedTooSoon = errors.length > 0 && errors.every((error) => error.field === 'body.closesAt');
    if (closedTooSoon && leadMs < 5_000) continue;
    expectStatus(created, 201, 'opening the demo tender');
    return created.json;
  }
}

async function getTender(api: ApiCaller, tenderId: string): Promise<Tender> {
  const found = await api.call<Tender>('GET', `/v1/tenders/${tenderId}`);
  expectStatus(found, 200, `reading tender ${tenderId}`);
  return found.json;
}

/** The draft (or later) contract the award created: its id derives from (tender, lot). */
async function awardedContract(api: ApiCaller, tender: Tender): Promise<Contract> {
  const contractId = contractIdFrom(awardedContractUlid(tender.tenderId, demoTender.lotId));
  const found = await api.call<Contract>('GET', `/v1/contracts/${contractId}`);
  expectStatus(found, 200, `reading the awarded contract ${contractId}`);
  return found.json;
}

/** Finds the direct municipal contract by its contractor and title, or creates it; then activates a draft. */
async function ensureMunicipalContract(
  api: ApiCaller,
  contractorId: string,
  segments: () => Promise<readonly Segment[]>,
  dates: { readonly startDate: string; readonly endDate: string },
): Promise<{ contract: Contract; outcome: SeedStep }> {
  const existing = (await listAll<Contract>(api, `/v1/contracts?contractorId=${contractorId}&serviceType=municipal`)).find(
    (contract) => contract.title === demoMunicipalContract.title && contract.origin.kind === 'direct',
  );
  if (existing !== undefined) return ensureActive(api, existing, 'the municipal contract', 'existed');
  const scope = await segments();
  if (scope.length === 0) throw new SeedError('no strict, controlled or primary road segments for the municipal contract');
  const body = {
    contractorId,
    serviceType: 'municipal',
    title: demoMunicipalContract.title,
    ...dates,
    performanceBondFen: demoMunicipalContract.performanceBondFen,
    scope: scope.map((segment) => segment.segmentId),
    pricing: { kind: 'unit_rate', items: demoMunicipalContract.rateCard },
    standardRef: demoMunicipalContract.standardRef,
    rulebookTemplateId: demoMunicipalContract.rulebookTemplateId,
  };
  const created = await api.call<Contract>('POST', '/v1/contracts', { body, key: idempotencyKey('contract:municipal', body) });
  expectStatus(created, 201, 'creating the municipal contract');
  return ensureActive(api, created.json, 'the municipal contract', 'created');
}

/** Activates a draft; any other status is left as it is (a developer may have suspended it). */
export async function ensureActive(api: ApiCaller, contract: Contract, what: string, outcome: SeedStep): Promise<{ contract: Contract; outcome: SeedStep }> {
  if (contract.status !== 'draft') return { contract, outcome };
  const activated = await api.call<Contract>('POST', `/v1/contracts/${contract.contractId}/activate`, {
    ifMatch: contract.version,
    key: idempotencyKey(`activate:${contract.contractId}:${contract.version}`, null),
  });
  expectStatus(activated, 200, `activating ${what} ${contract.contractId}`);
  return { contract: activated.json, outcome };
}

export function seeded(contract: Contract, outcome: SeedStep): SeededContract {
  const terms = latestTerms(contract);
  return {
    contractId: contract.contractId,
    title: contract.title,
    status: contract.status,
    serviceType: contract.serviceType,
    contractorId: contract.contractorId,
    origin: contract.origin.kind,
    pricing: terms.pricing,
    segmentCount: terms.scope.length,
    startDate: contract.startDate,
    endDate: contract.endDate,
    outcome,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP through the adapter

interface ApiAnswer<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: T;
}

interface CallOptions {
  readonly body?: unknown;
  /** The record version read, sent as `If-Match: "<version>"`. */
  readonly ifMatch?: number;
  readonly key?: string;
}

export interface ApiCaller {
  call<T = unknown>(method: string, url: string, options?: CallOptions): Promise<ApiAnswer<T>>;
}

export function apiCaller(dispatch: ProcurementSeedOptions['dispatch'], token: string): ApiCaller {
  return {
    async call<T>(method: string, url: string, options: CallOptions = {}): Promise<ApiAnswer<T>> {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'user-agent': 'xiuhua-local-seed' };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
      if (options.key !== undefined) headers['idempotency-key'] = options.key;
      const response = await dispatch({ method, url, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
      const text = response.body.toString('utf8');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, headers: response.headers, text, json: json as T };
    },
  };
}

/** Every item of a listing, page by page. */
export async function listAll<T>(api: ApiCaller, url: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call<{ items: T[]; nextCursor?: string }>('GET', `${url}${url.includes('?') ? '&' : '?'}limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expectStatus(page, 200, `listing ${url}`);
    items.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor !== undefined);
  return items;
}

export function expectStatus(answer: ApiAnswer<unknown>, status: number, what: string): void {
  if (answer.status !== status) throw new SeedError(`${what} was refused: ${answer.status} ${answer.text}`);
}

/**
 * `demo-seed:<name>:<digest of name and body>`: stable for the same request, so a retry
 * replays the first answer; another body (a tender re-opened with a later close) gets its own.
 */
export function idempotencyKey(name: string, body: unknown): string {
  const digest = createHash('sha256').update(`${name}\u0000${JSON.stringify(body)}`).digest('base64url').slice(0, 32);
  return `demo-seed:${name.replace(/[^\x21-\x7e]/g, '_').slice(0, 160)}:${digest}`;
}

/**
 * Promise.all that waits for every step to settle before failing, so no step is still
 * writing when the caller reports the failure and stops the stack.
 */
async function allSettled<const T extends readonly unknown[]>(steps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** `load`, called at most once. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
