import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import type { Segment } from '../../domain/segments/schema';
import type { EvaluationRow, EvaluationTable, Tender } from '../../domain/tenders/schema';
import type { Problem } from '../../functions/shared/schemas';
import type { BidView } from '../../functions/http/tenders/routes';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Tenders end to end on the local stack: adapter → API Gateway v2 event → tenders Lambda →
 * DynamoDB Local (with the segments, contractors and contracts Lambdas for what a tender
 * needs around it). Each describe works in a tenant of its own.
 *
 * Timing: a tender's close instant must be in the future when it is created, a bid's
 * submission time may not be in the future, and a late bid is one submitted at or after the
 * close. So each tender closes a moment after it is created, on-time bids are submitted
 * before that, and the test waits for the close before recording the late bid and closing.
 */

interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

interface LotAward {
  readonly contractId: string;
  readonly tender: Tender;
  readonly winner: EvaluationRow;
  readonly contract: Contract;
}

/** Valid unified social credit codes (GB 32100-2015 check characters). */
const codes = ['91350100M000100Y43', '91310106MA1FY0AB17', '91310106MA1FY0AB2A', '91310106MA1FY0AC3E'] as const;

/** A short street-parallel line in Jing'an, offset per index so segments differ. */
function segmentBody(index: number): Record<string, unknown> {
  const lon = 121.445 + index * 0.0031;
  return {
    name: `招标测试路${index}号段`,
    street: '南京西路街道',
    grade: 'secondary',
    flags: [],
    widthM: 16,
    geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237], [lon + 0.0025, 31.2244]] },
  };
}

/** The local calendar date (Asia/Shanghai) `months` months from now, on day `day`. */
function dateInMonths(months: number, day: number): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, day));
  return first.toISOString().slice(0, 10);
}

async function waitUntil(instant: string): Promise<void> {
  const delay = Date.parse(instant) - Date.now() + 50;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}

const ceilingMonthlyFen = 90_000_000;

function weightedTender(segmentIds: readonly string[], closesAt: string): Record<string, unknown> {
  return {
    title: '静安区南京西路街道2026—2027年道路保洁服务采购',
    serviceType: 'cleaning',
    evaluation: { method: 'weighted', priceWeight: 60, technicalWeight: 30, creditWeight: 10 },
    closesAt,
    lots: [{ name: '第一标段 威海路片区', segmentIds, pricing: { kind: 'lump_sum', ceilingMonthlyFen } }],
  };
}

function awardBody(): Record<string, unknown> {
  return {
    title: '南京西路街道道路保洁服务合同(第一标段)',
    startDate: dateInMonths(2, 1),
    endDate: dateInMonths(14, 0),
    performanceBondFen: 5_000_000,
    rulebookTemplateId: 'cleaning-standard',
  };
}

describe('tenders on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorUser: string;
  let segmentIds: string[];
  let contractorIds: string[];

  beforeAll(async () => {
    tenantId = uniqueTenantId('tenders');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    segmentIds = [];
    for (const index of [1, 2]) {
      const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: segmentBody(index) });
      expect(created.status).toBe(201);
      segmentIds.push(created.json.segmentId);
    }
    contractorIds = [];
    for (const [index, code] of codes.entries()) {
      const created = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code, name: `测试环境服务有限公司${index + 1}` } });
      expect(created.status).toBe(201);
      contractorIds.push(created.json.contractorId);
    }
    contractorUser = await tokenFor('contractor', { tenantId, contractorId: contractorIds[0]! });
  });

  /** An open tender closing `inMs` from now, on the two segments. */
  async function openTender(inMs = 1_500): Promise<Tender> {
    const closesAt = new Date(Date.now() + inMs).toISOString();
    const created = await api.request<Tender>('POST', '/v1/tenders', { token: procurement, body: weightedTender(segmentIds, closesAt) });
    expect(created.status).toBe(201);
    return created.json;
  }

  function bid(tender: Tender, contractorId: string, monthlyFen: number, technicalScoreX100: number, submittedAt = new Date().toISOString()): Promise<{ status: number; json: BidView }> {
    return api.request<BidView>('POST', `/v1/tenders/${tender.tenderId}/bids`, {
      token: procurement,
      body: { lotId: 'lot_1', contractorId, submittedAt, price: { kind: 'lump_sum', monthlyFen }, technicalScoreX100 },
    });
  }

  /** Closes the tender once its close instant has passed; returns the closed tender. */
  async function closed(tender: Tender): Promise<Tender> {
    await waitUntil(tender.closesAt);
    const closing = await api.request<Tender>('POST', `/v1/tenders/${tender.tenderId}/close`, { token: procurement, headers: { 'if-match': `"${tender.version}"` } });
    expect(closing.status).toBe(200);
    return closing.json;
  }

  it('opens a tender with its lot and reads it back, by id and in the listing', async () => {
    const tender = await openTender(60_000);

    expect(tender).toMatchObject({ status: 'open', version: 1, serviceType: 'cleaning' });
    expect(tender.tenderId).toMatch(/^tdr_[0-9a-z]{26}$/);
    expect(tender.lots).toHaveLength(1);
    expect(tender.lots[0]).toMatchObject({ lotId: 'lot_1', status: 'open', segmentIds, pricing: { kind: 'lump_sum', ceilingMonthlyFen } });
    expect(tender.lots[0]!.areaM2).toBeGreaterThan(0);
    const read = await api.request<Tender>('GET', `/v1/tenders/${tender.tenderId}`, { token: inspector });
    expect(read.status).toBe(200);
    expect(read.headers['etag']).toBe('"1"');
    expect(read.json).toEqual(tender);
    const listed = await api.request<Page<Tender>>('GET', '/v1/tenders?status=open', { token: procurement });
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((each) => each.tenderId)).toContain(tender.tenderId);
  });

  it('names every failing field of a bad tender in a 400', async () => {
    const refused = await api.request<Problem>('POST', '/v1/tenders', {
      token: procurement,
      body: {
        ...weightedTender(['seg_nosuchsegment0001', segmentIds[0]!], new Date(Date.now() - 60_000).toISOString()),
        evaluation: { method: 'weighted', priceWeight: 60, technicalWeight: 30, creditWeight: 20 },
      },
    });
    const lateAndUnknown = await api.request<Problem>('POST', '/v1/tenders', {
      token: procurement,
      body: weightedTender(['seg_nosuchsegment0001', segmentIds[0]!], new Date(Date.now() - 60_000).toISOString()),
    });

    expect(refused.status).toBe(400);
    expect(refused.json.errors?.map((error) => error.field)).toEqual(['body.evaluation.priceWeight']);
    expect(lateAndUnknown.status).toBe(400);
    expect(lateAndUnknown.json.errors?.map((error) => error.field).sort()).toEqual(['body.closesAt', 'body.lots.0.segmentIds.0']);
  });

  it('keeps invalid bids with their reasons, ranks the valid ones with every score, awards once', async () => {
    const tender = await openTender();
    const [lowest, best, expensive, late] = contractorIds as [string, string, string, string];
    const valid1 = await bid(tender, lowest, 80_000_000, 8_500);
    const valid2 = await bid(tender, best, 82_000_000, 9_500);
    const overCeiling = await bid(tender, expensive, 95_000_000, 9_000);
    await waitUntil(tender.closesAt);
    const lateBid = await bid(tender, late, 70_000_000, 9_000);

    expect([valid1.status, valid2.status, overCeiling.status, lateBid.status]).toEqual([201, 201, 201, 201]);
    expect(valid1.json).toMatchObject({ valid: true, reasons: [] });
    expect(overCeiling.json.valid).toBe(false);
    expect(overCeiling.json.reasons.map((reason) => reason.code)).toEqual(['over_ceiling']);
    expect(overCeiling.json.reasons[0]?.message).toContain('above the ceiling');
    expect(lateBid.json.valid).toBe(false);
    expect(lateBid.json.reasons.map((reason) => reason.code)).toEqual(['late']);
    const bids = await api.request<{ items: BidView[] }>('GET', `/v1/tenders/${tender.tenderId}/bids?lotId=lot_1`, { token: procurement });
    expect(bids.json.items.map((each) => [each.contractorId, each.valid])).toEqual([[lowest, true], [best, true], [expensive, false], [late, false]]);

    // Evaluate: 60 price / 30 technical / 10 credit (no assessments yet: neutral 80.00 for all).
    const closedTender = await closed(tender);
    const evaluation = await api.request<EvaluationTable>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, {
      token: procurement,
      headers: { 'if-match': `"${closedTender.version}"` },
    });

    expect(evaluation.status).toBe(200);
    expect(evaluation.headers['etag']).toBe(`"${closedTender.version + 1}"`);
    const table = evaluation.json;
    expect(table).toMatchObject({ method: 'weighted', bidCount: 4, validBidCount: 2, lowestValidPriceFen: 80_000_000, winnerBidId: valid2.json.bidId });
    expect(table.scoreRule).toContain('credit score × 10 / 100');
    expect(table.rows.map((row) => [row.contractorId, row.rank, row.priceScoreX100, row.technicalPartX100, row.creditPartX100, row.totalX100])).toEqual([
      // 80 000 000 / 82 000 000 × 60 = 58.54; 95.00 × 30 / 100 = 28.50; 80.00 × 10 / 100 = 8.00
      [best, 1, 5_854, 2_850, 800, 9_504],
      [lowest, 2, 6_000, 2_550, 800, 9_350],
      [expensive, undefined, undefined, undefined, undefined, undefined],
      [late, undefined, undefined, undefined, undefined, undefined],
    ]);
    expect(table.rows[0]?.credit).toMatchObject({ valueX100: 8_000, neutral: true });
    expect(table.rows.slice(2).map((row) => [row.valid, row.problems.map((problem) => problem.code)])).toEqual([[false, ['over_ceiling']], [false, ['late']]]);
    const stored = await api.request<EvaluationTable>('GET', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, { token: inspector });
    expect(stored.status).toBe(200);
    expect(stored.json).toEqual(table);

    // Award: the draft contract of the winner, with the lot's segments and the winning price.
    const awardVersion = closedTender.version + 1;
    const awarded = await api.request<LotAward>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, {
      token: procurement,
      body: awardBody(),
      headers: { 'if-match': `"${awardVersion}"` },
    });

    expect(awarded.status).toBe(201);
    expect(awarded.json.contractId).toMatch(/^con_[0-9a-z]{26}$/);
    expect(awarded.json.tender.status).toBe('awarded');
    expect(awarded.json.tender.lots[0]).toMatchObject({ status: 'awarded', awardedBidId: valid2.json.bidId, awardedContractorId: best });
    expect(awarded.json.contract).toMatchObject({
      contractId: awarded.json.contractId,
      status: 'draft',
      contractorId: best,
      serviceType: 'cleaning',
      origin: { kind: 'tender', tenderId: tender.tenderId, lotId: 'lot_1', bidId: valid2.json.bidId },
      performanceBondFen: 5_000_000,
    });
    expect(awarded.json.contract.versions[0]).toMatchObject({ scope: [...segmentIds].sort(), pricing: { kind: 'lump_sum', monthlyFen: 82_000_000 } });
    const contract = await api.request<Contract>('GET', `/v1/contracts/${awarded.json.contractId}`, { token: procurement });
    expect(contract.status).toBe(200);
    expect(contract.json.contractorId).toBe(best);

    // A second award: 409 naming the contract, whether it names the old version or the new one.
    const again = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, {
      token: procurement,
      body: awardBody(),
      headers: { 'if-match': `"${awardVersion + 1}"` },
    });
    const stale = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, {
      token: procurement,
      body: awardBody(),
      headers: { 'if-match': `"${awardVersion}"` },
    });

    expect(again.status).toBe(409);
    expect(again.json.detail).toContain(awarded.json.contractId);
    expect(stale.status).toBe(409);
    const reevaluated = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, {
      token: procurement,
      headers: { 'if-match': `"${awardVersion + 1}"` },
    });
    expect(reevaluated.status).toBe(409);
  });

  it('awards a lot once under two concurrent awards: one 201, one 409, one contract', async () => {
    const tender = await openTender();
    await bid(tender, contractorIds[0]!, 80_000_000, 8_500);
    const closedTender = await closed(tender);
    const evaluated = await api.request<EvaluationTable>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, {
      token: procurement,
      headers: { 'if-match': `"${closedTender.version}"` },
    });
    expect(evaluated.status).toBe(200);

    const version = evaluated.headers['etag']!;
    const answers = await Promise.all(
      [1, 2].map(() => api.request<LotAward>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, { token: procurement, body: awardBody(), headers: { 'if-match': version } })),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const contracts = await api.request<Page<Contract>>('GET', `/v1/contracts?contractorId=${contractorIds[0]!}&limit=200`, { token: procurement });
    expect(contracts.json.items.filter((each) => each.origin.kind === 'tender' && each.origin.tenderId === tender.tenderId)).toHaveLength(1);
  });

  it('answers a repeated award with the same Idempotency-Key with the first answer', async () => {
    const tender = await openTender();
    await bid(tender, contractorIds[1]!, 81_000_000, 9_000);
    const closedTender = await closed(tender);
    const evaluated = await api.request('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, { token: procurement, headers: { 'if-match': `"${closedTender.version}"` } });
    const headers = { 'if-match': evaluated.headers['etag']!, 'idempotency-key': randomUUID() };

    const first = await api.request<LotAward>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, { token: procurement, body: awardBody(), headers });
    const second = await api.request<LotAward>('POST', `/v1/tenders/${tender.tenderId}/lots/lot_1/award`, { token: procurement, body: awardBody(), headers });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json.contractId).toBe(first.json.contractId);
  });

  it('keeps a bid of a suspended contractor, invalid with the suspension as its reason', async () => {
    const tender = await openTender(60_000);
    const suspended = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310000132206287K', name: '停业整顿环境服务有限公司' } });
    const suspension = await api.request<Contractor>('POST', `/v1/contractors/${suspended.json.contractorId}/suspend`, {
      token: procurement,
      body: { reason: '安全生产事故停业整顿' },
      headers: { 'if-match': '"1"' },
    });
    expect(suspension.status).toBe(200);

    const recorded = await bid(tender, suspended.json.contractorId, 80_000_000, 8_000);

    expect(recorded.status).toBe(201);
    expect(recorded.json.valid).toBe(false);
    expect(recorded.json.reasons.map((reason) => reason.code)).toEqual(['contractor_suspended']);
    expect(recorded.json.reasons[0]?.message).toContain('安全生产事故停业整顿');
  });

  it('prices a per-m² lot at the GIS area with its hundredths: 12000.5 m² + 0.25 m² at 6.29 元/m²·年 compares at 6 290.39 元 a month', async () => {
    // A given area wins over a computed one; 12000.123 (a third decimal) is refused naming the field.
    const areas = [12_000.5, 0.25];
    const created = await Promise.all(areas.map((areaM2, index) => api.request<Segment>('POST', '/v1/segments', { token: procurement, body: { ...segmentBody(20 + index), areaM2 } })));
    const refused = await api.request<Problem>('POST', '/v1/segments', { token: procurement, body: { ...segmentBody(22), areaM2: 12_000.123 } });
    expect(created.map((answer) => [answer.status, answer.json.areaM2])).toEqual([[201, 12_000.5], [201, 0.25]]);
    expect(refused.status).toBe(400);
    expect(refused.json.errors?.map((error) => error.field)).toEqual(['body.areaM2']);

    const closesAt = new Date(Date.now() + 1_500).toISOString();
    const opened = await api.request<Tender>('POST', '/v1/tenders', {
      token: procurement,
      body: {
        ...weightedTender([], closesAt),
        lots: [{ name: '广场保洁', segmentIds: created.map((answer) => answer.json.segmentId), pricing: { kind: 'lump_sum_per_m2', ceilingMilliFenPerM2Year: 800_000 } }],
      },
    });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.json.lots[0]?.areaM2).toBe(12_000.75);
    const placed = await api.request<BidView>('POST', `/v1/tenders/${opened.json.tenderId}/bids`, {
      token: procurement,
      body: { lotId: 'lot_1', contractorId: contractorIds[1], submittedAt: new Date().toISOString(), price: { kind: 'lump_sum_per_m2', milliFenPerM2Year: 629_000 }, technicalScoreX100: 9_000 },
    });
    expect(placed.status, JSON.stringify(placed.json)).toBe(201);
    const closedTender = await closed(opened.json);
    const evaluation = await api.request<EvaluationTable>('POST', `/v1/tenders/${opened.json.tenderId}/lots/lot_1/evaluation`, {
      token: procurement,
      headers: { 'if-match': `"${closedTender.version}"` },
    });

    expect(evaluation.status).toBe(200);
    // 1 200 075 hundredths of m² × 629 000 / 1 200 000 = 629 039.3 → 629 039 fen, rounded once.
    expect(evaluation.json).toMatchObject({ lotAreaM2: 12_000.75, lowestValidPriceFen: 629_039 });
  });

  it('refuses what cannot be a bid on the lot with 400 naming the fields', async () => {
    const tender = await openTender(60_000);
    const refused = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/bids`, {
      token: procurement,
      body: {
        lotId: 'lot_1',
        contractorId: 'ctr_aaaaaaaaaaaaaaaa',
        submittedAt: new Date(Date.now() + 3_600_000).toISOString(),
        price: { kind: 'lump_sum_per_m2', milliFenPerM2Year: 629_000 },
      },
    });

    expect(refused.status).toBe(400);
    expect(refused.json.errors?.map((error) => error.field).sort()).toEqual(['body.contractorId', 'body.price.kind', 'body.submittedAt', 'body.technicalScoreX100']);
  });

  it('refuses to close before the close instant (409) and without If-Match (428)', async () => {
    const tender = await openTender(60_000);

    const early = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/close`, { token: procurement, headers: { 'if-match': '"1"' } });
    const unconditional = await api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/close`, { token: procurement });

    expect(early.status).toBe(409);
    expect(early.json.detail).toContain('cannot be closed earlier');
    expect(unconditional.status).toBe(428);
  });

  it('shows contractors no tender, bid or evaluation (403)', async () => {
    const tender = await openTender(60_000);

    const answers = await Promise.all([
      api.request<Problem>('GET', '/v1/tenders', { token: contractorUser }),
      api.request<Problem>('GET', `/v1/tenders/${tender.tenderId}`, { token: contractorUser }),
      api.request<Problem>('GET', `/v1/tenders/${tender.tenderId}/bids`, { token: contractorUser }),
      api.request<Problem>('GET', `/v1/tenders/${tender.tenderId}/lots/lot_1/evaluation`, { token: contractorUser }),
      api.request<Problem>('POST', '/v1/tenders', { token: contractorUser, body: weightedTender(segmentIds, new Date(Date.now() + 60_000).toISOString()) }),
      bid(tender, contractorIds[0]!, 80_000_000, 8_000).then(() => api.request<Problem>('POST', `/v1/tenders/${tender.tenderId}/bids`, {
        token: contractorUser,
        body: { lotId: 'lot_1', contractorId: contractorIds[0]!, submittedAt: new Date().toISOString(), price: { kind: 'lump_sum', monthlyFen: 1 }, technicalScoreX100: 10_000 },
      })),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(answers[1]?.headers['content-type']).toBe('application/problem+json');
  });

  it('keeps tenders to their tenant: another tenant gets 404', async () => {
    const tender = await openTender(60_000);
    const other = await tokenFor('procurement', { tenantId: uniqueTenantId('tenders-other') });

    const read = await api.request<Problem>('GET', `/v1/tenders/${tender.tenderId}`, { token: other });

    expect(read.status).toBe(404);
  });
});
