import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import { localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { activeCleaningContract } from '../helpers/cleaning-contract';

/**
 * Inspections on the local stack: a segment, a contractor and an active cleaning contract
 * on the shipped `cleaning-standard` rulebook, all through the API; then findings priced as
 * the rulebook says, orders raised, protocol gates, corrections.
 */

const today = localDate(new Date(), 'Asia/Shanghai');
const month = today.slice(0, 7);

interface Recorded {
  readonly inspection: Inspection;
  readonly orders: RectificationOrder[];
}

describe('inspections on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorToken: string;
  let segmentId: string;
  let contract: Contract;

  beforeAll(async () => {
    tenantId = uniqueTenantId('inspections');
    inspector = await tokenFor('inspector', { tenantId });
    ({ procurement, contractorToken, segmentId, contract } = await activeCleaningContract(tenantId, '检查路1号段', today));
  });

  it('prices two findings as the cleaning rulebook says and raises their orders', async () => {
    const answer = await api.request<Recorded>('POST', '/v1/inspections', {
      token: inspector,
      headers: { 'idempotency-key': `ins-two-${tenantId}` },
      body: {
        segmentId,
        serviceType: 'cleaning',
        at: new Date().toISOString(),
        kind: 'patrol',
        findings: [
          { itemCode: 'CL-LITTER', count: 2, note: '公交站旁烟头' },
          { itemCode: 'CL-PILE-M', count: 1 },
        ],
      },
    });

    expect(answer.status, answer.text).toBe(201);
    const { inspection, orders } = answer.json;
    expect(inspection.contractId).toBe(contract.contractId);
    // CL-LITTER: 2 x 2.00 points, no fine; CL-PILE-M: 1 x 8.00 points and 200 元.
    expect(inspection.lines.map((line) => [line.itemCode, line.pointsX100, line.fineFen])).toEqual([
      ['CL-LITTER', 400, 0],
      ['CL-PILE-M', 800, 20_000],
    ]);
    expect(inspection.totals).toEqual({ pointsX100: 1_200, fineFen: 20_000, provisionalPointsX100: 0, provisionalFineFen: 0 });
    expect(orders).toHaveLength(2);
    // Due after the items' rectify hours (1 h and 2 h) from the inspection time.
    const at = Date.parse(inspection.at);
    expect(orders.map((order) => Date.parse(order.dueAt) - at)).toEqual([3_600_000, 7_200_000]);
    expect(orders.every((order) => order.status === 'open' && order.contractorId === contract.contractorId)).toBe(true);
  });

  it('refuses an unknown item code naming the finding', async () => {
    const answer = await api.request<Problem>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-NOPE', count: 1 }] },
    });

    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.errors?.map((error) => error.field)).toEqual(['body.findings.1.itemCode']);
  });

  it('escalates a repeat of a linear item on the same segment in the month', async () => {
    const post = async (): Promise<Recorded> => {
      const answer = await api.request<Recorded>('POST', '/v1/inspections', {
        token: inspector,
        body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-DRAIN', count: 1 }] },
      });
      expect(answer.status, answer.text).toBe(201);
      return answer.json;
    };
    const first = await post();
    const second = await post();

    // CL-DRAIN escalates linearly: 2.00 points and 200 元, then twice that.
    expect([first.inspection.lines[0]?.pointsX100, first.inspection.lines[0]?.fineFen]).toEqual([200, 20_000]);
    expect([second.inspection.lines[0]?.ordinal, second.inspection.lines[0]?.pointsX100, second.inspection.lines[0]?.fineFen]).toEqual([2, 400, 40_000]);
  });

  it('scores a CJJ/T 126 sample and refuses one outside the weather gates', async () => {
    const body = {
      segmentId,
      contractId: contract.contractId,
      at: new Date().toISOString(),
      kind: 'spot_check',
      protocol: {
        sampleScore: {
          ratingSets: [
            { inspectorId: 'a', side: 'left', ratings: { overall: 5, surface: 4, edges: 4, gullies: 4 } },
            { inspectorId: 'a', side: 'right', ratings: { overall: 4, surface: 4, edges: 3, gullies: 4 } },
          ],
        },
        dustByWeight: { readingsMgPerM2: [8_000, 12_500, 10_000] },
      },
      weather: { precipitation: 'none', roadDry: true, windBeaufort: 2, humidityPct: 60 },
    };
    const scored = await api.request<Recorded>('POST', '/v1/inspections', { token: inspector, body });
    const refused = await api.request<Problem>('POST', '/v1/inspections', {
      token: inspector,
      body: { ...body, weather: { precipitation: 'rain', roadDry: false, windBeaufort: 4, humidityPct: 85 } },
    });

    expect(scored.status, scored.text).toBe(201);
    // left 6·5+6·4+4·4+4·4 = 86, right 6·4+6·4+4·3+4·4 = 76 → mean 81.00 → band ≥ 80: 1.00 point.
    expect(scored.json.inspection.sampleScore).toMatchObject({ scoreX100: 8_100, pointsX100: 100 });
    // One of three readings is above 10 g/m² (10 000 mg exactly is not): one CL-DUST.
    expect(scored.json.inspection.lines.find((line) => line.source === 'dustByWeight')).toMatchObject({ itemCode: 'CL-DUST', count: 1, pointsX100: 100 });
    expect(scored.json.inspection.totals.pointsX100).toBe(200);
    expect(refused.status, refused.text).toBe(422);
    // Each failing gate is named (problem.ts lists a rule's reasons under `errors`).
    expect(refused.json.errors?.map((error) => error.message.split(':')[0])).toEqual(['precipitation', 'roadDry', 'windBeaufort', 'humidityPct']);
  });

  it('corrects an inspection once, keeps the old one readable as superseded, and lists both', async () => {
    const original = await api.request<Recorded>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'joint', findings: [{ itemCode: 'CL-UNIFORM', count: 3 }] },
    });
    expect(original.status, original.text).toBe(201);
    const id = original.json.inspection.inspectionId;
    const correction = { segmentId, serviceType: 'cleaning', at: original.json.inspection.at, kind: 'joint', findings: [{ itemCode: 'CL-UNIFORM', count: 1 }], reason: '人数记错' };

    const corrected = await api.request<Recorded>('POST', `/v1/inspections/${id}/corrections`, { token: inspector, body: correction });
    const again = await api.request<Problem>('POST', `/v1/inspections/${id}/corrections`, { token: inspector, body: correction });
    const old = await api.request<Inspection & { supersededBy?: { supersededBy: string; reason: string } }>('GET', `/v1/inspections/${id}`, { token: contractorToken });
    const listed = await api.request<{ items: Inspection[] }>('GET', `/v1/inspections?contractId=${contract.contractId}&month=${month}`, { token: contractorToken });

    expect(corrected.status, corrected.text).toBe(201);
    expect(corrected.json.inspection.supersedes).toEqual({ inspectionId: id, reason: '人数记错' });
    expect(corrected.json.inspection.totals.pointsX100).toBe(50);
    expect(again.status, again.text).toBe(409);
    expect(old.status).toBe(200);
    expect(old.json.supersededBy).toMatchObject({ supersededBy: corrected.json.inspection.inspectionId, reason: '人数记错' });
    const ids = listed.json.items.map((item) => item.inspectionId);
    expect(ids).toContain(id);
    expect(ids).toContain(corrected.json.inspection.inspectionId);
  });

  it('lets only inspectors record', async () => {
    const answer = await api.request<Problem>('POST', '/v1/inspections', {
      token: contractorToken,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [] },
    });

    expect(answer.status).toBe(403);
  });
});
