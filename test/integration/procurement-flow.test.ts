import { describe, expect, it } from 'vitest';
import type { Contract, ContractTerms } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import type { Segment } from '../../domain/segments/schema';
import type { EvaluationTable, Tender } from '../../domain/tenders/schema';
import type { BidView } from '../../functions/http/tenders/routes';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Issue 3's "Done means", through the HTTP API alone, as a new user would try it: register
 * two contractors (a third with a bad check character is refused), tender a lot, record three
 * bids (one late, one over the ceiling), evaluate, award, activate, amend the scope from the
 * 16th, and read the contract as of the 10th and the 20th.
 *
 * Dates: the contract starts on the 1st of the month after next, so the 16th of its first
 * month is in the future and an active contract may be amended from it (no retroactive
 * amendments). The tender closes a moment after it is created: on-time bids are submitted
 * before the close, the late one after it (a bid cannot be submitted in the future, and a
 * tender cannot be closed before its close instant).
 */

interface ContractAsOf extends Contract {
  readonly asOf: string;
  readonly terms: ContractTerms | null;
}

interface LotAward {
  readonly contractId: string;
  readonly tender: Tender;
  readonly contract: Contract;
}

/** The local calendar date (Asia/Shanghai) on `day` of the month `months` from now (day 0: the last of the month before). */
function dateInMonths(months: number, day: number): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, day)).toISOString().slice(0, 10);
}

function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function waitUntil(instant: string): Promise<void> {
  const delay = Date.parse(instant) - Date.now() + 50;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}

function road(name: string, index: number): Record<string, unknown> {
  const lon = 121.47 + index * 0.004;
  return {
    name,
    street: '石门二路街道',
    grade: 'branch',
    flags: [],
    widthM: 12,
    geometry: { type: 'LineString', coordinates: [[lon, 31.234], [lon + 0.0015, 31.2345], [lon + 0.003, 31.235]] },
  };
}

describe('procurement from tender to an amended contract, through the HTTP API alone', () => {
  it('registers, tenders, bids, evaluates, awards, activates, amends and reads as of two dates', async () => {
    const tenantId = uniqueTenantId('procurement');
    const procurement = await tokenFor('procurement', { tenantId });
    const finance = await tokenFor('finance', { tenantId });

    // Two contractors; a third whose check character is wrong is refused, naming the field.
    const lvjie = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91350100M000100Y43', name: '福州市绿洁环境服务有限公司' } });
    const jingjie = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海静洁市容环境服务有限公司' } });
    const badCode = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB2B', name: '上海普陀某某环境服务有限公司' } });
    expect([lvjie.status, jingjie.status]).toEqual([201, 201]);
    expect(badCode.status).toBe(400);
    expect(badCode.json.errors).toEqual([{ field: 'body.code', message: "check character should be 'A' but is 'B'" }]);

    // Segments: two for the lot, a third that the amendment adds.
    const segments: Segment[] = [];
    for (const [index, name] of ['新闸路(石门二路—泰兴路)', '泰兴路(新闸路—北京西路)', '北京西路(泰兴路—江宁路)'].entries()) {
      const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: road(name, index) });
      expect(created.status).toBe(201);
      segments.push(created.json);
    }
    const [xinzha, taixing, beijingWest] = segments.map((segment) => segment.segmentId) as [string, string, string];

    // A lowest-price tender of one lot, ceiling ¥600 000.00 a month.
    const closesAt = new Date(Date.now() + 1_500).toISOString();
    const tender = await api.request<Tender>('POST', '/v1/tenders', {
      token: procurement,
      body: {
        title: '静安区石门二路街道道路保洁服务采购',
        serviceType: 'cleaning',
        evaluation: { method: 'lowest_price' },
        closesAt,
        lots: [{ name: '第一标段 新闸路片区', segmentIds: [xinzha, taixing], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 60_000_000 } }],
      },
    });
    expect(tender.status).toBe(201);
    const tenderPath = `/v1/tenders/${tender.json.tenderId}`;

    // Three bids: one valid, one over the ceiling, one late. Invalid ones are kept (201) with their reasons.
    const bidOf = (contractorId: string, monthlyFen: number): Promise<{ status: number; json: BidView }> =>
      api.request<BidView>('POST', `${tenderPath}/bids`, {
        token: procurement,
        body: { lotId: 'lot_1', contractorId, submittedAt: new Date().toISOString(), price: { kind: 'lump_sum', monthlyFen } },
      });
    const valid = await bidOf(lvjie.json.contractorId, 55_800_000);
    const overCeiling = await bidOf(jingjie.json.contractorId, 61_500_000);
    await waitUntil(closesAt);
    const late = await bidOf(jingjie.json.contractorId, 52_000_000);
    expect([valid.status, overCeiling.status, late.status]).toEqual([201, 201, 201]);
    expect([valid.json.valid, overCeiling.json.valid, late.json.valid]).toEqual([true, false, false]);
    expect(overCeiling.json.reasons.map((reason) => reason.code)).toEqual(['over_ceiling']);
    expect(late.json.reasons.map((reason) => reason.code)).toEqual(['late']);

    // Close, evaluate, award.
    const closed = await api.request<Tender>('POST', `${tenderPath}/close`, { token: procurement, headers: { 'if-match': `"${tender.json.version}"` } });
    expect(closed.status).toBe(200);
    const evaluation = await api.request<EvaluationTable>('POST', `${tenderPath}/lots/lot_1/evaluation`, {
      token: procurement,
      headers: { 'if-match': closed.headers['etag']! },
    });
    expect(evaluation.status).toBe(200);
    expect(evaluation.json.rows.map((row) => [row.bidId, row.rank, row.comparedPriceFen, row.problems.map((problem) => problem.code)])).toEqual([
      [valid.json.bidId, 1, 55_800_000, []],
      [overCeiling.json.bidId, undefined, 61_500_000, ['over_ceiling']],
      [late.json.bidId, undefined, 52_000_000, ['late']],
    ]);
    const startDate = dateInMonths(2, 1);
    const month = startDate.slice(0, 7);
    const awarded = await api.request<LotAward>('POST', `${tenderPath}/lots/lot_1/award`, {
      token: procurement,
      headers: { 'if-match': evaluation.headers['etag']! },
      body: {
        title: '石门二路街道道路保洁服务合同(第一标段)',
        startDate,
        endDate: dateInMonths(14, 0),
        performanceBondFen: 3_000_000,
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(awarded.status).toBe(201);
    expect(awarded.json.contract).toMatchObject({ status: 'draft', contractorId: lvjie.json.contractorId });
    const contractPath = `/v1/contracts/${awarded.json.contractId}`;

    // Activate, then amend the scope from the 16th of the first month: 北京西路 joins.
    const activated = await api.request<Contract>('POST', `${contractPath}/activate`, { token: procurement, headers: { 'if-match': `"${awarded.json.contract.version}"` } });
    expect(activated.status).toBe(200);
    expect(activated.json.status).toBe('active');
    const amended = await api.request<Contract>('POST', `${contractPath}/amendments`, {
      token: procurement,
      headers: { 'if-match': `"${activated.json.version}"` },
      body: {
        effectiveFrom: `${month}-16`,
        reason: '北京西路(泰兴路—江宁路)移交本标段保洁',
        approvedBy: '石门二路街道办事处',
        approvedAt: today(),
        scope: [xinzha, taixing, beijingWest],
      },
    });
    expect(amended.status).toBe(201);

    // As of the 10th: the awarded scope at the winning price; as of the 20th: the amended scope.
    const on10th = await api.request<ContractAsOf>('GET', `${contractPath}?asOf=${month}-10`, { token: finance });
    const on20th = await api.request<ContractAsOf>('GET', `${contractPath}?asOf=${month}-20`, { token: finance });
    expect(on10th.status).toBe(200);
    expect(on10th.json.terms).toMatchObject({ termsVersion: 1, scope: [xinzha, taixing].sort(), pricing: { kind: 'lump_sum', monthlyFen: 55_800_000 } });
    expect(on20th.status).toBe(200);
    expect(on20th.json.terms).toMatchObject({ termsVersion: 2, effectiveFrom: `${month}-16`, scope: [xinzha, taixing, beijingWest].sort() });
    expect(on20th.json.terms?.amendment).toMatchObject({ reason: '北京西路(泰兴路—江宁路)移交本标段保洁', changes: ['scope'] });
  });
});
