import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import { localDate } from '../../domain/dates';
import type { InspectionChecklist } from '../../domain/inspections/checklist';
import type { Inspection, InspectionPreview } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import { templateById } from '../../domain/rulebooks/templates';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { activeCleaningContract } from '../helpers/cleaning-contract';

/**
 * The field app's "score and money effect before saving" (issue 14) on the local stack:
 * `POST /v1/inspections/preview` prices a body of `POST /v1/inspections` exactly as recording
 * would and writes nothing; `GET /v1/inspections/checklist` gives the sheet of the rulebook
 * in force. A segment, a contractor and an active cleaning contract on the shipped
 * `cleaning-standard` rulebook, all through the API.
 */

const today = localDate(new Date(), 'Asia/Shanghai');
const month = today.slice(0, 7);

interface Recorded {
  readonly inspection: Inspection;
  readonly orders: RectificationOrder[];
}

type Preview = InspectionPreview & { contract: InspectionPreview['contract'] & { contractorName?: string } };
type Checklist = InspectionChecklist & { contract: InspectionChecklist['contract'] & { contractorName?: string } };

/** A minute ago: recording refuses an inspection in the future, and preview and record share one instant. */
function justNow(): string {
  return new Date(Date.now() - 60_000).toISOString();
}

describe('inspection preview and checklist on the local stack', () => {
  let tenantId: string;
  let inspector: string;
  let finance: string;
  let contractorToken: string;
  let segmentId: string;
  let contract: Contract;

  beforeAll(async () => {
    tenantId = uniqueTenantId('inspection-preview');
    inspector = await tokenFor('inspector', { tenantId });
    finance = await tokenFor('finance', { tenantId });
    ({ contractorToken, segmentId, contract } = await activeCleaningContract(tenantId, '预览路1号段', today));
  });

  /** What the tenant holds that a preview must not add to: inspections, orders, audit entries. */
  async function counts(): Promise<{ inspections: number; orders: number; audit: number }> {
    const inspections = await api.request<{ items: unknown[] }>('GET', `/v1/inspections?contractId=${contract.contractId}&month=${month}&limit=200`, { token: inspector });
    const orders = await api.request<{ items: unknown[] }>('GET', `/v1/rectification-orders?contractId=${contract.contractId}&limit=200`, { token: inspector });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const audit = await api.request<{ items: unknown[] }>('GET', `/v1/audit?from=${from}&to=${to}&limit=200`, { token: finance });
    expect([inspections.status, orders.status, audit.status], `${inspections.text} ${orders.text} ${audit.text}`).toEqual([200, 200, 200]);
    return { inspections: inspections.json.items.length, orders: orders.json.items.length, audit: audit.json.items.length };
  }

  it('shows the lines, totals and orders that recording the same body then holds', async () => {
    // Prepare
    const body = {
      segmentId,
      serviceType: 'cleaning',
      at: justNow(),
      kind: 'patrol',
      findings: [
        { itemCode: 'CL-LITTER', count: 2, note: '公交站旁烟头' },
        { itemCode: 'CL-PILE-M', count: 1 },
        { itemCode: 'CL-VEHICLE', count: 1 },
      ],
    };

    // Act
    const preview = await api.request<Preview>('POST', '/v1/inspections/preview', { token: inspector, body });
    const recorded = await api.request<Recorded>('POST', '/v1/inspections', { token: inspector, body });

    // Assess
    expect(preview.status, preview.text).toBe(200);
    expect(recorded.status, recorded.text).toBe(201);
    const { inspection, orders } = recorded.json;
    expect(preview.json.contract).toMatchObject({ contractId: contract.contractId, termsVersion: inspection.termsVersion, contractorName: '上海环杰环境服务有限公司' });
    // CL-LITTER 2 x 2.00; CL-PILE-M 8.00 + 200 元; CL-VEHICLE 2.00 + 200 元 (no rectify).
    expect(preview.json.totals).toEqual({ pointsX100: 1_400, fineFen: 40_000, provisionalPointsX100: 0, provisionalFineFen: 0 });
    expect(preview.json.totals).toEqual(inspection.totals);
    expect(preview.json.lines).toEqual(inspection.lines.map(({ orderId: _orderId, ...line }) => line));
    expect([preview.json.localDate, preview.json.month]).toEqual([inspection.localDate, inspection.month]);
    // The orders recording raised, as the preview announced them: same lines, items, due times, penalties, texts.
    expect(preview.json.orders).toEqual(
      orders.map((order) => ({
        lineIndex: order.origin.kind === 'inspection' ? order.origin.lineIndex : -1,
        itemCode: order.itemCode,
        mode: order.mode,
        description: order.description,
        issuedAt: order.issuedAt,
        dueAt: order.dueAt,
        latePenalty: order.latePenalty,
      })),
    );
    expect(preview.json.orders.map((order) => [order.itemCode, Date.parse(order.dueAt) - Date.parse(preview.json.at)])).toEqual([
      ['CL-LITTER', 3_600_000],
      ['CL-PILE-M', 7_200_000],
    ]);
    expect(preview.json.photos).toEqual({ checked: false, named: 0 });
  });

  it('shows the repeat factor of the second finding of an item on the segment this month', async () => {
    // Prepare: one CL-DRAIN recorded (linear escalation: 2.00 points and 200 元, then twice that).
    const body = { segmentId, serviceType: 'cleaning', at: justNow(), kind: 'patrol', findings: [{ itemCode: 'CL-DRAIN', count: 1 }] };
    const first = await api.request<Recorded>('POST', '/v1/inspections', { token: inspector, body });
    expect(first.status, first.text).toBe(201);

    // Act
    const preview = await api.request<Preview>('POST', '/v1/inspections/preview', { token: inspector, body: { ...body, at: justNow() } });
    const again = await api.request<Preview>('POST', '/v1/inspections/preview', { token: inspector, body: { ...body, at: justNow() } });

    // Assess
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.lines[0]).toMatchObject({ itemCode: 'CL-DRAIN', ordinal: 2, factorBps: 20_000, pointsX100: 400, fineFen: 40_000 });
    expect(preview.json.totals).toMatchObject({ pointsX100: 400, fineFen: 40_000 });
    // The first preview stored nothing: a second one is still the 2nd finding, not the 3rd.
    expect(again.json.lines[0]).toMatchObject({ ordinal: 2, factorBps: 20_000 });
  });

  it('writes nothing: no inspection, no order, no audit entry', async () => {
    // Prepare
    const before = await counts();
    const body = { segmentId, serviceType: 'cleaning', at: justNow(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-BIN', count: 2 }] };

    // Act
    const previews = await Promise.all([1, 2, 3].map(() => api.request<Preview>('POST', '/v1/inspections/preview', { token: inspector, body })));
    const after = await counts();

    // Assess
    expect(previews.map((preview) => preview.status)).toEqual([200, 200, 200]);
    expect(previews[0]?.json.orders).toHaveLength(2);
    expect(after).toEqual(before);
    expect(before.inspections).toBeGreaterThan(0);
    expect(before.audit).toBeGreaterThan(0);
  });

  it('prices findings whose photos are not yet ingested, saying the photos were not checked (recording refuses them)', async () => {
    // Prepare: an inspection id the uploads would have allocated, and a photo never ingested.
    const body = {
      segmentId,
      serviceType: 'cleaning',
      inspectionId: `ins_${'0'.repeat(25)}1`,
      at: justNow(),
      kind: 'patrol',
      findings: [{ itemCode: 'CL-PILE-S', count: 1, evidenceIds: [`ev_${'0'.repeat(31)}7`] }],
    };

    // Act
    const preview = await api.request<Preview>('POST', '/v1/inspections/preview', { token: inspector, body });
    const recording = await api.request<Problem>('POST', '/v1/inspections', { token: inspector, body });

    // Assess
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.lines).toHaveLength(1);
    expect(preview.json.totals.pointsX100).toBeGreaterThan(0);
    expect(preview.json.photos).toEqual({ checked: false, named: 1 });
    expect(preview.json.warnings.map((warning) => warning.code)).toContain('photos-not-checked');
    expect(recording.status, recording.text).toBe(422);
  });

  it('refuses a contractor with 403', async () => {
    // Act
    const answer = await api.request<Problem>('POST', '/v1/inspections/preview', {
      token: contractorToken,
      body: { segmentId, serviceType: 'cleaning', at: justNow(), kind: 'patrol', findings: [] },
    });

    // Assess
    expect(answer.status, answer.text).toBe(403);
  });

  it('refuses a bad body with 400 naming the field, in Chinese when asked', async () => {
    // Act
    const shape = await api.request<Problem>('POST', '/v1/inspections/preview', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: justNow(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 0 }] },
    });
    const unknown = await api.request<Problem>('POST', '/v1/inspections/preview', {
      token: inspector,
      headers: { 'accept-language': 'zh-CN' },
      body: { segmentId, serviceType: 'cleaning', at: justNow(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-NOPE', count: 1 }] },
    });

    // Assess
    expect(shape.status, shape.text).toBe(400);
    expect(shape.json.errors?.map((error) => error.field)).toEqual(['body.findings.0.count']);
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.json.errors?.map((error) => error.field)).toEqual(['body.findings.1.itemCode']);
    expect(unknown.json.title).toBe('请求无效');
    expect(unknown.json.detail).toBe('1 个字段未通过校验');
    expect(unknown.json.errors?.[0]?.message).toBe("'CL-NOPE' 不是合同考核办法中的考核项目");
  });

  it("gives the checklist of the contract in force: the rulebook's items by category, in its order", async () => {
    // Prepare
    const template = templateById('cleaning-standard')!;
    const expectedCodes = template.rulebook.defectItems.map((item) => item.code);

    // Act
    const answer = await api.request<Checklist>('GET', `/v1/inspections/checklist?segmentId=${segmentId}&serviceType=cleaning`, { token: inspector });
    const own = await api.request<Checklist>('GET', `/v1/inspections/checklist?segmentId=${segmentId}&serviceType=cleaning&at=${encodeURIComponent(justNow())}`, { token: contractorToken });

    // Assess
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.contract).toMatchObject({ contractId: contract.contractId, title: '南京西路街道道路保洁服务合同', contractorName: '上海环杰环境服务有限公司', termsVersion: 1 });
    expect(answer.json.localDate).toBe(today);
    const categories = answer.json.categories.map((category) => category.category);
    expect(categories[0]).toBe('road_cleanliness');
    expect(new Set(categories).size).toBe(categories.length);
    const items = answer.json.categories.flatMap((category) => category.items);
    expect(items.map((item) => item.code).sort()).toEqual([...expectedCodes].sort());
    // Within a category the rulebook's order.
    for (const category of answer.json.categories) {
      const codes = category.items.map((item) => item.code);
      expect(codes).toEqual(expectedCodes.filter((code) => codes.includes(code)));
    }
    expect(items.find((item) => item.code === 'CL-LITTER')).toMatchObject({ category: 'road_cleanliness', pointsX100: 200, fineFen: 0, mode: 'deduct', rectifyHours: 1, photosRequired: false });
    expect(items.find((item) => item.code === 'CL-DRAIN')).toMatchObject({ mode: 'none', escalation: { kind: 'linear' } });
    expect(items.find((item) => item.code === 'CL-DRAIN')?.rectifyHours).toBeUndefined();
    expect(answer.json.protocols).toEqual({ sampleScore: true, dustByWeight: true });
    // A contractor reads its own contract's sheet.
    expect(own.status, own.text).toBe(200);
  });

  it('refuses a checklist query without a service type, naming it, in Chinese when asked', async () => {
    // Act
    const answer = await api.request<Problem>('GET', `/v1/inspections/checklist?segmentId=${segmentId}`, { token: inspector, headers: { 'accept-language': 'zh-CN' } });

    // Assess
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.errors?.map((error) => error.field)).toEqual(['query.serviceType']);
    expect(answer.json.title).toBe('请求无效');
  });
});
