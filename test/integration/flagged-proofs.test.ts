import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { FlaggedProof } from '../../domain/proofs/queue';
import type { Proof } from '../../domain/proofs/schema';
import type { TaskView } from '../../domain/schedule/use-cases';
import type { Segment } from '../../domain/segments/schema';
import type { OrderNames } from '../../functions/http/shared/names';
import type { ActivityLabel } from '../../functions/http/tasks/names';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { jpegWithExif } from '../helpers/photos';
import { emulateObjectCreated, uploadWithPresignedPost } from '../helpers/s3-events';

/**
 * The inspectors' flagged-proof queue (issue 14), GET /v1/proofs/flagged, on the local stack in
 * a tenant of this file's own: two contractors' cleaning contracts from YESTERDAY (so
 * yesterday's 05:00–07:30 sweep windows have passed and still take proofs), proofs submitted
 * through the API with photos posted to s3rver. A photo whose EXIF time is 30 minutes from the
 * claimed capture time flags its (accepted) proof; one within 10 minutes does not.
 */

type Entry = FlaggedProof & OrderNames & { activityLabel: ActivityLabel };
interface QueuePage {
  items: Entry[];
  nextCursor?: string;
}
interface IssuedUpload {
  readonly evidenceId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const yesterday = addDays(today, -1);
const month = yesterday.slice(0, 7);
const lat = 31.2431;
let lon = 121.51;
let serial = 0;

describe('the flagged-proof queue on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let admin: string;
  let crewA: string;
  let crewB: string;
  let contractA: Contract;
  let contractB: Contract;
  const segments: Segment[] = [];
  /** Proofs in submission order: flagged A on road 1, unflagged A on road 2, flagged A on road 2 (13:30), flagged B on road 3. */
  const proofs: Proof[] = [];

  async function newSegment(name: string): Promise<Segment> {
    lon += 0.01;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name, street: '陆家嘴街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + 0.0012, lat + 0.0006]] } },
    });
    expect(created.status, created.text).toBe(201);
    segments.push(created.json);
    return created.json;
  }

  async function activeContract(contractorId: string, title: string, scope: readonly string[]): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId,
        serviceType: 'cleaning',
        title,
        startDate: yesterday,
        endDate: addDays(today, 300),
        performanceBondFen: 5_000_000,
        scope,
        pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
        standardRef: { standardId: 'cleaning-standard', version: 1 },
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.json.version}"` }, body: {} });
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  async function sweepTask(token: string, contract: Contract, segment: Segment, hhmm: string): Promise<TaskView> {
    const listed = await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${contract.contractId}/tasks?date=${yesterday}&limit=200`, { token });
    expect(listed.status, listed.text).toBe(200);
    const task = listed.json.items.find((item) => item.segmentId === segment.segmentId && item.activity === 'sweep' && item.windowStart.slice(11, 16) === hhmm);
    expect(task, `sweep ${hhmm} on ${segment.name}`).toBeDefined();
    return task!;
  }

  /** A distinct JPEG at the segment whose EXIF says it was taken at `hhmm` yesterday. */
  function photo(segment: Segment, hhmm: string): Buffer {
    serial += 1;
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    return jpegWithExif({ capturedAt: `${yesterday}T${hhmm}:00+08:00`, lon: x, lat: y, padToBytes: 20_000 + serial });
  }

  /** Uploads the photos for the task and submits its proof captured at `claimed` (accepted, 201). */
  async function prove(token: string, task: TaskView, segment: Segment, exifTimes: readonly string[], claimed: string): Promise<Proof> {
    const issued: IssuedUpload[] = [];
    for (const hhmm of exifTimes) {
      const answer = await api.request<IssuedUpload>('POST', `/v1/tasks/${task.taskId}/uploads`, { token, body: { contentType: 'image/jpeg' } });
      expect(answer.status, answer.text).toBe(201);
      const posted = await uploadWithPresignedPost(answer.json.url, answer.json.fields, photo(segment, hhmm), 'image/jpeg');
      expect(posted.status, 'S3 POST').toBeLessThan(300);
      issued.push(answer.json);
    }
    await emulateObjectCreated(issued.map((item) => item.key));
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    const submitted = await api.request<Proof>('POST', `/v1/tasks/${task.taskId}/proofs`, {
      token,
      body: { evidenceIds: issued.map((item) => item.evidenceId), capturedAt: `${yesterday}T${claimed}:00+08:00`, gps: { lon: x, lat: y, accuracyM: 6 } },
    });
    expect(submitted.status, submitted.text).toBe(201);
    expect(submitted.json.status).toBe('accepted');
    return submitted.json;
  }

  const queue = async (query = '', token = inspector, headers: Record<string, string> = {}): Promise<{ status: number; json: QueuePage & Problem; text: string }> =>
    api.request<QueuePage & Problem>('GET', `/v1/proofs/flagged${query}`, { token, headers });
  const idsOf = (page: QueuePage): string[] => page.items.map((item) => item.proofId);

  beforeAll(async () => {
    tenantId = uniqueTenantId('flagged');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    admin = await tokenFor('admin', { tenantId });
    const registered = await Promise.all(
      [
        { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' },
        { code: '91310106MA1FY0AB2A', name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((answer) => answer.status)).toEqual([201, 201]);
    const [huanjie, lvyuan] = registered.map((answer) => answer.json.contractorId) as [string, string];
    crewA = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    crewB = await tokenFor('contractor', { tenantId, contractorId: lvyuan });
    const [road1, road2, road3] = [await newSegment('浦东南路(世纪大道—张杨路)'), await newSegment('东昌路(浦东南路—银城中路)'), await newSegment('陆家嘴环路(银城中路—花园石桥路)')];
    contractA = await activeContract(huanjie, '陆家嘴街道道路保洁服务合同（一标段）', [road1.segmentId, road2.segmentId]);
    contractB = await activeContract(lvyuan, '陆家嘴街道道路保洁服务合同（二标段）', [road3.segmentId]);

    // One photo 30 min off the claim flags the proof; the other, 1 min off, does not.
    proofs.push(await prove(crewA, await sweepTask(crewA, contractA, road1, '05:00'), road1, ['05:10', '05:39'], '05:40'));
    proofs.push(await prove(crewA, await sweepTask(crewA, contractA, road2, '05:00'), road2, ['05:38', '05:41'], '05:40'));
    proofs.push(await prove(crewA, await sweepTask(crewA, contractA, road2, '13:30'), road2, ['14:10', '14:40'], '14:40'));
    proofs.push(await prove(crewB, await sweepTask(crewB, contractB, road3, '05:00'), road3, ['05:00', '05:01'], '05:45'));
  }, 120_000);

  it('lists the flagged accepted proofs newest first, without the unflagged one, with names, labels and flags', async () => {
    // Act
    const page = await queue();

    // Assess
    expect(page.status, page.text).toBe(200);
    const [first, second, third, unflagged] = [proofs[0]!, proofs[2]!, proofs[3]!, proofs[1]!];
    expect(unflagged.flags).toEqual([]);
    expect(idsOf(page.json)).toEqual([third.proofId, second.proofId, first.proofId]);
    const entry = page.json.items.find((item) => item.proofId === first.proofId)!;
    expect(entry).toMatchObject({
      status: 'accepted',
      version: 1,
      taskId: first.subject.id,
      activity: 'sweep',
      activityLabel: { zh: '普扫', en: 'Sweeping' },
      contractId: contractA.contractId,
      contractTitle: '陆家嘴街道道路保洁服务合同（一标段）',
      contractorName: '上海环杰环境服务有限公司',
      segmentId: segments[0]!.segmentId,
      segmentName: '浦东南路(世纪大道—张杨路)',
      street: '陆家嘴街道',
      localDate: yesterday,
      evidenceIds: first.evidenceIds,
      flaggedEvidenceIds: [first.evidenceIds[0]],
    });
    expect(entry.capturedAt).toBe(`${yesterday}T05:40:00+08:00`);
    expect(entry.submittedAt).toMatch(/\+08:00$/);
    expect(entry.flags).toEqual([
      expect.objectContaining({ code: 'exif-time-mismatch', evidenceId: first.evidenceIds[0], message: expect.stringContaining('is 30 min from the claimed 05:40'), zh: expect.stringContaining('相差 30 分钟') }),
    ]);
    expect(entry).not.toHaveProperty('photoHashes');
    expect(page.json.items.find((item) => item.proofId === third.proofId)).toMatchObject({ contractorName: '上海绿源市政工程有限公司', segmentName: '陆家嘴环路(银城中路—花园石桥路)' });
  });

  it("gives the photos side by side through the proof's photo route", async () => {
    // Prepare
    const [entry] = (await queue(`?contractId=${contractA.contractId}&limit=1`)).json.items;

    // Act
    const photos = await api.request<{ items: { evidenceId: string; url?: string }[] }>('GET', `/v1/proofs/${entry!.proofId}/photos`, { token: inspector });

    // Assess
    expect(photos.status, photos.text).toBe(200);
    expect(photos.json.items.map((item) => item.evidenceId)).toEqual(entry!.evidenceIds);
    expect(photos.json.items.every((item) => typeof item.url === 'string')).toBe(true);
  });

  it('pages with a cursor bound to its filters', async () => {
    // Act
    const one = await queue('?limit=2');
    const two = await queue(`?limit=2&cursor=${one.json.nextCursor ?? ''}`);
    const otherFilter = await queue(`?limit=2&contractId=${contractA.contractId}&cursor=${one.json.nextCursor ?? ''}`);

    // Assess
    expect(idsOf(one.json)).toEqual([proofs[3]!.proofId, proofs[2]!.proofId]);
    expect(one.json.nextCursor).toEqual(expect.any(String));
    expect(idsOf(two.json)).toEqual([proofs[0]!.proofId]);
    expect(two.json.nextCursor).toBeUndefined();
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.json.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
  });

  it('filters by contract, month and date range', async () => {
    // Act
    const ofA = await queue(`?contractId=${contractA.contractId}`);
    const ofMonth = await queue(`?month=${month}`);
    const ofYesterday = await queue(`?from=${yesterday}&to=${yesterday}`);
    const fromToday = await queue(`?from=${today}`);
    const both = await queue(`?month=${month}&from=${yesterday}`);
    const unknown = await queue('?contractId=con_01jzzzzzzzzzzzzzzzzzzzzzzz');

    // Assess
    expect(idsOf(ofA.json)).toEqual([proofs[2]!.proofId, proofs[0]!.proofId]);
    expect(idsOf(ofMonth.json)).toHaveLength(3);
    expect(idsOf(ofYesterday.json)).toHaveLength(3);
    expect(fromToday.json.items).toEqual([]);
    expect(both.status).toBe(400);
    expect(unknown.status).toBe(404);
  });

  it('takes a rejected proof out of the queue and puts it back when the rejection is undone', async () => {
    // Prepare
    const target = (await queue()).json.items.find((item) => item.proofId === proofs[2]!.proofId)!;

    // Act
    const rejected = await api.request<Proof>('POST', `/v1/proofs/${target.proofId}/rejection`, { token: inspector, headers: { 'if-match': `"${target.version}"` }, body: { reason: '照片拍摄时间与申报不符' } });
    const afterRejection = await queue();
    const undone = await api.request<Proof>('POST', `/v1/proofs/${target.proofId}/rejection/undo`, { token: inspector, headers: { 'if-match': `"${rejected.json.version}"` }, body: { reason: '复核：相机时钟误差' } });
    const afterUndo = await queue();

    // Assess
    expect(rejected.status, rejected.text).toBe(200);
    expect(idsOf(afterRejection.json)).toEqual([proofs[3]!.proofId, proofs[0]!.proofId]);
    expect(undone.status, undone.text).toBe(200);
    expect(idsOf(afterUndo.json)).toEqual([proofs[3]!.proofId, proofs[2]!.proofId, proofs[0]!.proofId]);
    expect(afterUndo.json.items[1]).toMatchObject({ version: 3, reviews: [{ action: 'reject' }, { action: 'undo-rejection' }] });
  });

  it('is for inspectors and admin: a contractor gets 403 (in Chinese when asked), procurement too', async () => {
    // Act
    const byAdmin = await queue('', admin);
    const byCrew = await queue('', crewA, { 'accept-language': 'zh-CN' });
    const byOtherCrew = await queue(`?contractId=${contractB.contractId}`, crewB);
    const byProcurement = await queue('', procurement);

    // Assess
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(idsOf(byAdmin.json)).toHaveLength(3);
    expect(byCrew.status).toBe(403);
    expect(byCrew.json).toMatchObject({ title: '无权操作', detail: expect.stringContaining('无权执行 proof:queue') });
    expect(byOtherCrew.status).toBe(403);
    expect(byProcurement.status).toBe(403);
  });

  it('answers a bad filter with the field in Chinese for Accept-Language: zh-CN', async () => {
    // Act
    const answer = await queue('?month=2026-13&contractId=con_x', inspector, { 'accept-language': 'zh-CN' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json.title).toBe('请求无效');
    expect(answer.json.errors).toEqual(
      expect.arrayContaining([
        { field: 'query.month', message: '月份格式为 YYYY-MM，须在 2000-01 至 2099-12 之间（例如 2026-11）' },
        { field: 'query.contractId', message: '不是合同编号（con_ 加 26 个字符）' },
      ]),
    );
  });
});
