import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Segment } from '../../domain/segments/schema';
import type { SpotCheckDrawView } from '../../domain/spot-checks/schema';
import { verifyDraw } from '../../domain/spot-checks/draw';
import { DynamoSpotCheckStore } from '../../functions/adapters/dynamodb/spot-check-store';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Spot-check draws on the local stack, in a tenant of this file's own: a cleaning contract
 * (cleaning-standard plan: one strict, one controlled, one alley) over five segments. The
 * commit is for NEXT month (it must precede the month); its reveal is refused until the
 * month starts. The reveal path runs on the current month with the committed record copied
 * there in the store — what a commit made last month would have left.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const thisMonth = today.slice(0, 7);
const nextMonth = DateTime.fromISO(`${thisMonth}-01`, { zone: 'utc' }).plus({ months: 1 }).toFormat('yyyy-MM');

let counter = 0;

describe('spot-check draws on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorToken: string;
  let segments: Segment[];
  let store: DynamoSpotCheckStore;

  async function newSegment(grade: Segment['grade'], flags: string[]): Promise<Segment> {
    counter += 1;
    const lon = 121.43 + counter * 0.004;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: `抽查路${counter}号段`, street: counter % 2 === 0 ? '南京西路街道' : '静安寺街道', grade, flags, widthM: 14, geometry: { type: 'LineString', coordinates: [[lon, 31.22], [lon + 0.001, 31.2206]] } },
    });
    expect(created.status, created.text).toBe(201);
    return created.json;
  }

  beforeAll(async () => {
    tenantId = uniqueTenantId('spotchecks');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const contractor = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } });
    expect(contractor.status, contractor.text).toBe(201);
    contractorToken = await tokenFor('contractor', { tenantId, contractorId: contractor.json.contractorId });
    segments = [
      await newSegment('primary', ['strict']),
      await newSegment('secondary', ['controlled']),
      await newSegment('alley', []),
      await newSegment('alley', []),
      await newSegment('branch', []),
    ];
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId: contractor.json.contractorId,
        serviceType: 'cleaning',
        title: '静安区道路保洁服务合同',
        startDate: today,
        endDate: addDays(today, 400),
        performanceBondFen: 5_000_000,
        scope: segments.map((segment) => segment.segmentId),
        pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request('POST', `/v1/contracts/${created.json.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.json.version}"` }, body: {} });
    expect(activated.status, activated.text).toBe(200);
    store = new DynamoSpotCheckStore(DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } }), localStack().tables.main);
  });

  it('commits next month: publishes the commitment and the candidates, never the seed; a repeat answers the same', async () => {
    const committed = await api.request<SpotCheckDrawView>('POST', `/v1/spot-checks/${nextMonth}/commit`, { token: inspector, body: { serviceType: 'cleaning' } });
    const repeat = await api.request<SpotCheckDrawView>('POST', `/v1/spot-checks/${nextMonth}/commit`, { token: inspector, body: { serviceType: 'cleaning' } });
    const read = await api.request<SpotCheckDrawView>('GET', `/v1/spot-checks/${nextMonth}?serviceType=cleaning`, { token: contractorToken });

    expect(committed.status, committed.text).toBe(201);
    expect(committed.json.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.json.status).toBe('committed');
    expect(committed.json.seed).toBeUndefined();
    expect(committed.text).not.toContain('"seed"');
    expect(committed.json.plan).toEqual([{ flag: 'strict', count: 1 }, { flag: 'controlled', count: 1 }, { flag: null, grade: 'alley', count: 1 }]);
    expect(committed.json.candidates.map((c) => c.segmentId)).toEqual(segments.map((s) => s.segmentId).sort());
    expect(repeat.json.commitment).toBe(committed.json.commitment);
    expect(read.status, read.text).toBe(200);
    expect(read.json.seed).toBeUndefined();
    expect(read.json.verification).toEqual({ algorithm: 'xiuhua-spot-draw-v1' });
  });

  it('refuses to reveal before the month starts (422)', async () => {
    const early = await api.request<Problem>('POST', `/v1/spot-checks/${nextMonth}/reveal`, { token: inspector, body: { serviceType: 'cleaning' } });

    expect(early.status, early.text).toBe(422);
  });

  it('refuses to commit a month that has started (422), and lets only inspectors draw (403)', async () => {
    const late = await api.request<Problem>('POST', `/v1/spot-checks/${thisMonth}/commit`, { token: inspector, body: { serviceType: 'cleaning' } });
    const byProcurement = await api.request<Problem>('POST', `/v1/spot-checks/${nextMonth}/commit`, { token: procurement, body: { serviceType: 'cleaning' } });

    expect(late.status, late.text).toBe(422);
    expect(byProcurement.status).toBe(403);
  });

  it('reveals a started month from the candidates snapshotted at commit; GET verifies commitment and selection', async () => {
    const committed = await store.get(tenantId, nextMonth, 'cleaning');
    expect(committed?.status).toBe('committed');
    // What a commit made last month would have left for this month.
    await store.create({ ...committed!, month: thisMonth });
    // A segment edited after the commit must not change the draw.
    const strict = segments[0]!;
    const edited = await api.request('PATCH', `/v1/segments/${strict.segmentId}`, { token: procurement, headers: { 'if-match': `"${strict.version}"` }, body: { flags: [] } });
    expect(edited.status, edited.text).toBe(200);

    const revealed = await api.request<SpotCheckDrawView>('POST', `/v1/spot-checks/${thisMonth}/reveal`, { token: inspector, body: { serviceType: 'cleaning' } });
    const read = await api.request<SpotCheckDrawView>('GET', `/v1/spot-checks/${thisMonth}?serviceType=cleaning`, { token: contractorToken });

    expect(revealed.status, revealed.text).toBe(200);
    expect(read.status, read.text).toBe(200);
    expect(read.json.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash('sha256').update(Buffer.from(read.json.seed!, 'hex')).digest('hex')).toBe(read.json.commitment);
    expect(read.json.verification).toMatchObject({ commitmentMatches: true, selectionMatches: true });
    expect(read.json.selection).toHaveLength(3);
    // The strict quota still drew the segment flagged strict at commit.
    expect(read.json.selection![0]).toEqual({ quotaIndex: 0, segmentId: strict.segmentId });
    // Anyone recomputes it from the GET answer alone.
    expect(verifyDraw({ ...read.json })).toMatchObject({ commitmentMatches: true, selectionMatches: true });
  });
});
