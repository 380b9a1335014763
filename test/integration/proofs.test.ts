import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Proof } from '../../domain/proofs/schema';
import type { TaskView } from '../../domain/schedule/use-cases';
import type { Segment } from '../../domain/segments/schema';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { jpegWithExif } from '../helpers/photos';
import { emulateObjectCreated, uploadWithPresignedPost } from '../helpers/s3-events';

/**
 * Issue 5 "Done means" on the local stack, fixtures made through the API in a tenant of this
 * file's own: a cleaning contract (shipped standard, branch segments: sweep 05:00–07:30 and
 * 13:30–16:00, patrol 06:30–20:30) from YESTERDAY, so yesterday's windows have all passed
 * whatever the hour: the handlers run on the system clock, a capture time may not be in the
 * future, and a task takes uploads and proofs until the end of the day after its date.
 * Photos go to s3rver through the presigned POST with fetch; the S3 event is emulated.
 */

interface IssuedUpload {
  readonly evidenceId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

interface Refusal {
  readonly status: number;
  readonly type: string;
  readonly reasons: string[];
  readonly failures: { code: string; message: string; evidenceId?: string; otherProofId?: string }[];
  readonly proofId?: string;
  readonly otherProofId?: string;
}

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const yesterday = addDays(today, -1);
const codes = { huanjie: '91310106MA1FY0AB17', lvyuan: '91310106MA1FY0AB2A' } as const;
const lat = 31.2231;
let lon = 121.61;
let minute = 0;

describe('proofs on the local stack', () => {
  let procurement: string;
  let inspector: string;
  let crewA: string;
  let crewB: string;
  let contractA: Contract;
  let segments: Segment[];
  let tasks: TaskView[];

  async function newSegment(): Promise<Segment> {
    lon += 0.01;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: `凭证路${segments.length + 1}号段`, street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + 0.0012, lat + 0.0006]] } },
    });
    expect(created.status, created.text).toBe(201);
    segments.push(created.json);
    return created.json;
  }

  async function activeContract(contractorId: string, scope: readonly string[]): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId,
        serviceType: 'cleaning',
        title: '南京西路街道道路保洁服务合同',
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
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, {
      token: procurement,
      headers: { 'if-match': `"${created.json.version}"` },
      body: {},
    });
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  /** The sweep task of `segment` yesterday starting at `hhmm`. */
  function taskOf(segment: Segment, hhmm: string): TaskView {
    const found = tasks.find((task) => task.segmentId === segment.segmentId && task.activity === 'sweep' && task.windowStart.slice(11, 16) === hhmm);
    expect(found, `sweep ${hhmm} on ${segment.segmentId}`).toBeDefined();
    return found!;
  }

  /** A distinct JPEG (its EXIF minute differs) captured yesterday at 05:xx near the segment. */
  function photo(segment: Segment): Buffer {
    minute += 1;
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    return jpegWithExif({ capturedAt: `${yesterday}T05:${String(10 + (minute % 40)).padStart(2, '0')}:00+08:00`, lon: x, lat: y, padToBytes: 20_000 + minute });
  }

  /** Issues, posts and ingests photos for a task; returns the evidence ids. */
  async function upload(token: string, taskId: string, photos: readonly Buffer[], options: { duplicate?: boolean; reverse?: boolean } = {}): Promise<string[]> {
    const issued: IssuedUpload[] = [];
    for (const bytes of photos) {
      const answer = await api.request<IssuedUpload>('POST', `/v1/tasks/${taskId}/uploads`, { token, body: { contentType: 'image/jpeg' } });
      expect(answer.status, answer.text).toBe(201);
      const posted = await uploadWithPresignedPost(answer.json.url, answer.json.fields, bytes, 'image/jpeg');
      expect(posted.status, 'S3 POST').toBeLessThan(300);
      issued.push(answer.json);
    }
    await emulateObjectCreated(issued.map((item) => item.key), options);
    return issued.map((item) => item.evidenceId);
  }

  function claimAt(segment: Segment, evidenceIds: readonly string[], northM = 0): Record<string, unknown> {
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    return { evidenceIds, capturedAt: `${yesterday}T05:40:00+08:00`, gps: { lon: x, lat: y + northM / 111_195, accuracyM: 6 }, note: '早班普扫完成' };
  }

  beforeAll(async () => {
    const tenantId = uniqueTenantId('proofs');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const registered = await Promise.all(
      [
        { code: codes.huanjie, name: '上海环杰环境服务有限公司' },
        { code: codes.lvyuan, name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((answer) => answer.status)).toEqual([201, 201]);
    const [huanjie, lvyuan] = registered.map((answer) => answer.json.contractorId) as [string, string];
    crewA = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    crewB = await tokenFor('contractor', { tenantId, contractorId: lvyuan });
    segments = [];
    const [s1, s2] = [await newSegment(), await newSegment()];
    contractA = await activeContract(huanjie, [s1.segmentId, s2.segmentId]);
    await activeContract(lvyuan, [(await newSegment()).segmentId]);
    const listed = await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${contractA.contractId}/tasks?date=${yesterday}`, { token: crewA });
    expect(listed.status, listed.text).toBe(200);
    tasks = listed.json.items;
  });

  describe('the Done-means flow', () => {
    let first: Proof;
    let firstPhotos: Buffer[];

    it('accepts two JPEGs posted to S3 for a task, submitted at the segment inside the window (201), and replays it', async () => {
      const task = taskOf(segments[0]!, '05:00');
      firstPhotos = [photo(segments[0]!), photo(segments[0]!)];
      const evidenceIds = await upload(crewA, task.taskId, firstPhotos);

      const answer = await api.request<Proof>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body: claimAt(segments[0]!, evidenceIds), headers: { 'idempotency-key': `accept-${task.taskId.slice(-20)}` } });
      const replay = await api.request<Proof>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body: claimAt(segments[0]!, evidenceIds), headers: { 'idempotency-key': `accept-${task.taskId.slice(-20)}` } });

      expect(answer.status, answer.text).toBe(201);
      expect(answer.json).toMatchObject({ status: 'accepted', failures: [], evidenceIds, localDate: yesterday });
      expect(answer.json.proofId).toMatch(/^prf_[0-9a-z]{26}$/);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json.proofId).toBe(answer.json.proofId);
      const listed = await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${contractA.contractId}/tasks?date=${yesterday}`, { token: crewA });
      expect(listed.json.items.find((item) => item.taskId === task.taskId)?.status).toBe('done');
      first = answer.json;
    });

    it('refuses the same photo for another task, naming the first proof (422)', async () => {
      const task = taskOf(segments[1]!, '05:00');
      const evidenceIds = await upload(crewA, task.taskId, [firstPhotos[0]!, photo(segments[1]!)]);

      const answer = await api.request<Refusal>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body: claimAt(segments[1]!, evidenceIds) });

      expect(answer.status, answer.text).toBe(422);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json.failures).toEqual([expect.objectContaining({ code: 'photo-reused', evidenceId: evidenceIds[0], otherProofId: first.proofId })]);
      expect(answer.json.reasons[0]).toContain(`is already used by proof ${first.proofId}`);
    });

    it('refuses a proof 300 m away with the distance (422), and replays the refusal', async () => {
      const task = taskOf(segments[0]!, '13:30');
      const evidenceIds = await upload(crewA, task.taskId, [photo(segments[0]!), photo(segments[0]!)]);
      const body = { ...claimAt(segments[0]!, evidenceIds, -300), capturedAt: `${yesterday}T14:00:00+08:00` };
      const headers = { 'idempotency-key': `far-${task.taskId.slice(-20)}` };

      const answer = await api.request<Refusal>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body, headers });
      const replay = await api.request<Refusal>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body, headers });

      expect(answer.status, answer.text).toBe(422);
      expect(answer.json.failures.map((failure) => failure.code)).toEqual(['outside-geofence']);
      expect(answer.json.reasons[0]).toMatch(/^GPS 30\d m from segment '凭证路1号段', limit 50 m \(accuracy ±6 m, 6 m credited\)$/);
      expect(replay.status).toBe(422);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json.proofId).toBe(answer.json.proofId);
      const refusals = await api.request<{ items: Proof[] }>('GET', `/v1/contracts/${contractA.contractId}/proofs?date=${yesterday}&status=refused`, { token: crewA });
      expect(refusals.json.items.map((proof) => proof.proofId)).toEqual(expect.arrayContaining([answer.json.proofId]));
    });

    it('lists every failed check at once: outside the window, a photo never posted, too few photos', async () => {
      const task = taskOf(segments[1]!, '13:30');
      // Events delivered twice and in reverse order still make one evidence item each.
      const [posted] = await upload(crewA, task.taskId, [photo(segments[1]!)], { duplicate: true, reverse: true });
      const unposted = await api.request<IssuedUpload>('POST', `/v1/tasks/${task.taskId}/uploads`, { token: crewA, body: { contentType: 'image/jpeg' } });

      const answer = await api.request<Refusal>('POST', `/v1/tasks/${task.taskId}/proofs`, {
        token: crewA,
        body: { ...claimAt(segments[1]!, [posted!, unposted.json.evidenceId]), capturedAt: `${yesterday}T17:00:00+08:00` },
      });

      expect(answer.status, answer.text).toBe(422);
      expect(answer.json.failures.map((failure) => failure.code)).toEqual(['outside-window', 'evidence-missing', 'too-few-photos']);
      expect(answer.json.reasons).toEqual([
        'captured 17:00, window 13:30–16:00 + 30 min',
        `photo ${unposted.json.evidenceId} has not been uploaded or is not yet processed`,
        '1 photo, at least 2 required',
      ]);
    });

    it('refuses a second proof for a done task as duplicate naming the accepted one', async () => {
      const task = taskOf(segments[0]!, '05:00');
      const evidenceIds = await upload(crewA, task.taskId, [photo(segments[0]!), photo(segments[0]!)]);

      const answer = await api.request<Refusal>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body: claimAt(segments[0]!, evidenceIds) });

      expect(answer.status, answer.text).toBe(422);
      expect(answer.json).toMatchObject({ type: '/problems/proof-duplicate', otherProofId: first.proofId });
    });

    it('lets the inspector reject the proof: the task shows rejected; undo makes it done again', async () => {
      const task = taskOf(segments[0]!, '05:00');
      const statusOf = async (): Promise<string | undefined> =>
        (await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${contractA.contractId}/tasks?date=${yesterday}`, { token: crewA })).json.items.find((item) => item.taskId === task.taskId)?.status;

      const rejected = await api.request<Proof>('POST', `/v1/proofs/${first.proofId}/rejection`, { token: inspector, headers: { 'if-match': '"1"' }, body: { reason: '照片为其他路段' } });
      const stale = await api.request('POST', `/v1/proofs/${first.proofId}/rejection/undo`, { token: inspector, headers: { 'if-match': '"1"' }, body: { reason: 'x' } });
      const byCrew = await api.request('POST', `/v1/proofs/${first.proofId}/rejection/undo`, { token: crewA, headers: { 'if-match': '"2"' }, body: { reason: 'x' } });

      expect(rejected.status, rejected.text).toBe(200);
      expect(rejected.json).toMatchObject({ status: 'rejected', version: 2, reviews: [{ action: 'reject', reason: '照片为其他路段', version: 2 }] });
      expect(await statusOf()).toBe('rejected');
      expect(stale.status).toBe(412);
      expect(byCrew.status).toBe(403);
      const seen = await api.request<Proof>('GET', `/v1/proofs/${first.proofId}`, { token: crewA });
      expect(seen.json.reviews[0]?.reason).toBe('照片为其他路段');

      const undone = await api.request<Proof>('POST', `/v1/proofs/${first.proofId}/rejection/undo`, { token: inspector, headers: { 'if-match': '"2"' }, body: { reason: '复核为本路段' } });

      expect(undone.status, undone.text).toBe(200);
      expect(undone.json.status).toBe('accepted');
      expect(await statusOf()).toBe('done');
    });

    it('gives the inspector 5-minute links to the photos, which fetch the posted bytes', async () => {
      const answer = await api.request<{ items: { url?: string; sha256?: string }[] }>('GET', `/v1/proofs/${first.proofId}/photos`, { token: inspector });

      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.items).toHaveLength(2);
      const fetched = Buffer.from(await (await fetch(answer.json.items[0]!.url!)).arrayBuffer());
      expect([firstPhotos[0]!.length, firstPhotos[1]!.length]).toContain(fetched.length);
    });

    it("keeps contractor B out of contractor A's tasks and proofs", async () => {
      const task = taskOf(segments[0]!, '05:00');

      const uploadAnswer = await api.request('POST', `/v1/tasks/${task.taskId}/uploads`, { token: crewB, body: { contentType: 'image/jpeg' } });
      const proofAnswer = await api.request('GET', `/v1/proofs/${first.proofId}`, { token: crewB });
      const listAnswer = await api.request('GET', `/v1/contracts/${contractA.contractId}/proofs?date=${yesterday}`, { token: crewB });
      const submitAnswer = await api.request('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewB, body: claimAt(segments[0]!, first.evidenceIds) });

      expect(uploadAnswer.status).toBe(403);
      expect(proofAnswer.status).toBe(404);
      expect(listAnswer.status).toBe(404);
      expect(submitAnswer.status).toBe(403);
    });

    it('takes a new proof after a rejection, and then refuses to undo that rejection (409)', async () => {
      const task = taskOf(segments[0]!, '05:00');
      const rejected = await api.request<Proof>('POST', `/v1/proofs/${first.proofId}/rejection`, { token: inspector, headers: { 'if-match': '"3"' }, body: { reason: '照片模糊' } });
      expect(rejected.status, rejected.text).toBe(200);
      const evidenceIds = await upload(crewA, task.taskId, [photo(segments[0]!), photo(segments[0]!)]);

      const second = await api.request<Proof>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crewA, body: claimAt(segments[0]!, evidenceIds) });
      const undo = await api.request<{ detail: string }>('POST', `/v1/proofs/${first.proofId}/rejection/undo`, { token: inspector, headers: { 'if-match': '"4"' }, body: { reason: '复核' } });

      expect(second.status, second.text).toBe(201);
      expect(undo.status, undo.text).toBe(409);
      expect(undo.json.detail).toContain(second.json.proofId);
    });

    it('reports the day for inspectors with counts, and 404s an id that is no task', async () => {
      const report = await api.request<{ counts: Record<string, number> }>('GET', `/v1/contracts/${contractA.contractId}/proof-report?date=${yesterday}`, { token: inspector });
      const madeUp = await api.request('POST', '/v1/tasks/tsk_madeup/uploads', { token: crewA, body: { contentType: 'image/jpeg' } });

      expect(report.status, report.text).toBe(200);
      expect(report.json.counts).toMatchObject({ acceptedProofs: 1, completedWithoutProof: 0, proofWithoutTask: 0 });
      expect(madeUp.status).toBe(404);
    });
  });

  describe('honest refusals (issue 13)', () => {
    let segment: Segment;
    let morning: TaskView;
    let afternoon: TaskView;

    beforeAll(async () => {
      segment = await newSegment();
      const contract = await activeContract(contractA.contractorId, [segment.segmentId]);
      const listed = await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${contract.contractId}/tasks?date=${yesterday}`, { token: crewA });
      const sweep = (hhmm: string): TaskView => listed.json.items.find((task) => task.activity === 'sweep' && task.windowStart.slice(11, 16) === hhmm)!;
      [morning, afternoon] = [sweep('05:00'), sweep('13:30')];
      expect(morning).toBeDefined();
      expect(afternoon).toBeDefined();
    });

    const afternoonClaim = (evidenceIds: readonly string[], northM = 0): Record<string, unknown> => ({ ...claimAt(segment, evidenceIds, northM), capturedAt: `${yesterday}T14:00:00+08:00` });

    it('refuses a photo uploaded for another task with that reason, not as not uploaded', async () => {
      // Prepare
      const [forMorning] = await upload(crewA, morning.taskId, [photo(segment)]);
      const [own] = await upload(crewA, afternoon.taskId, [photo(segment)]);

      // Act
      const answer = await api.request<Refusal>('POST', `/v1/tasks/${afternoon.taskId}/proofs`, { token: crewA, body: afternoonClaim([forMorning!, own!]) });

      // Assess
      expect(answer.status, answer.text).toBe(422);
      expect(answer.json.failures).toEqual([expect.objectContaining({ code: 'evidence-other-task', evidenceId: forMorning })]);
      expect(answer.json.reasons).toEqual([`photo ${forMorning} was uploaded for task ${morning.taskId}, not ${afternoon.taskId}`]);
    });

    it('says why a photo was refused at upload', async () => {
      // Prepare: a photo cut short in its upload
      const [cut] = await upload(crewA, afternoon.taskId, [photo(segment).subarray(0, 15_000)]);
      const [whole] = await upload(crewA, afternoon.taskId, [photo(segment)]);

      // Act
      const answer = await api.request<Refusal>('POST', `/v1/tasks/${afternoon.taskId}/proofs`, { token: crewA, body: afternoonClaim([cut!, whole!]) });

      // Assess
      expect(answer.status, answer.text).toBe(422);
      expect(answer.json.failures.map((failure) => failure.code)).toEqual(['evidence-refused']);
      expect(answer.json.reasons[0]).toMatch(new RegExp(`^photo ${cut} was refused at upload: the file ends after 15 000 bytes, .*FF D9`));
    });

    it('answers a refused proof in Chinese for Accept-Language: zh-CN, with the numbers', async () => {
      // Prepare
      const evidenceIds = await upload(crewA, afternoon.taskId, [photo(segment), photo(segment)]);

      // Act
      const answer = await api.request<Refusal & { title: string; detail: string }>('POST', `/v1/tasks/${afternoon.taskId}/proofs`, {
        token: crewA,
        headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
        body: { ...afternoonClaim(evidenceIds, -317), capturedAt: `${yesterday}T17:00:00+08:00` },
      });

      // Assess
      expect(answer.status, answer.text).toBe(422);
      expect(answer.headers['content-language']).toBe('zh-CN');
      expect(answer.json.title).toBe('无法处理');
      expect(answer.json.reasons).toEqual([expect.stringMatching(/^拍摄于 17:00，作业时段 13:30–16:00 \+ 30 分钟$/), expect.stringMatching(/^距路段 31\d 米，限 50 米（路段 '.+'，精度 ±6 米，已计入 6 米）$/)]);
      expect(answer.json.detail).toBe(`作业凭证 ${answer.json.proofId} 未被接受：${answer.json.reasons.join('；')}`);
    });

    it('refuses a capture time three hours ahead with a Chinese detail', async () => {
      // Prepare
      const evidenceIds = await upload(crewA, afternoon.taskId, [photo(segment), photo(segment)]);

      // Act
      const answer = await api.request<{ detail: string; errors: { field: string; message: string }[] }>('POST', `/v1/tasks/${afternoon.taskId}/proofs`, {
        token: crewA,
        headers: { 'accept-language': 'zh-CN' },
        body: { ...afternoonClaim(evidenceIds), capturedAt: new Date(Date.now() + 3 * 60 * 60_000).toISOString() },
      });

      // Assess
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.detail).toBe('拍摄时间在未来');
      expect(answer.json.errors).toEqual([expect.objectContaining({ field: 'body.capturedAt', message: expect.stringContaining('允许误差 5 分钟') })]);
    });

    it('takes concurrent identical submissions without an Idempotency-Key as one proof, storing no refusal', async () => {
      // Prepare
      const evidenceIds = await upload(crewA, morning.taskId, [photo(segment), photo(segment)]);
      const body = claimAt(segment, evidenceIds);

      // Act
      const answers = await Promise.all([1, 2, 3].map(() => api.request<Proof>('POST', `/v1/tasks/${morning.taskId}/proofs`, { token: crewA, body })));

      // Assess
      expect(answers.map((answer) => answer.status), answers.map((answer) => answer.text).join('\n')).toEqual([201, 201, 201]);
      expect(new Set(answers.map((answer) => answer.json.proofId)).size).toBe(1);
      const refused = await api.request<{ items: Proof[] }>('GET', `/v1/contracts/${morning.contractId}/proofs?date=${yesterday}&status=refused`, { token: crewA });
      expect(refused.json.items.filter((proof) => proof.subject.id === morning.taskId)).toEqual([]);
    });
  });
});
