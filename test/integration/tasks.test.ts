import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { TaskView } from '../../domain/schedule/use-cases';
import type { Segment } from '../../domain/segments/schema';
import { DynamoTaskOutcomeStore } from '../../functions/adapters/dynamodb/task-outcome-store';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Task reads on the local stack: segments and contracts made through their own routes in a
 * tenant of this file's own, a contract from today on the shipped cleaning standard
 * (`cleaning-standard` v1 via terms.standardRef), then the day's list, one task by id, and a
 * segment's range. Branch segments under that standard: sweep 05:00–07:30 and 13:30–16:00,
 * patrol 06:30–20:30, every day — 3 tasks per segment per day.
 */

interface TaskPage {
  readonly date: string;
  readonly items: TaskView[];
  readonly nextCursor?: string;
}

const today = localDate(new Date(), 'Asia/Shanghai');
const tomorrow = addDays(today, 1);
const end = addDays(today, 364);

/** Valid unified social credit codes (GB 32100-2015 check characters). */
const codes = { huanjie: '91310106MA1FY0AB17', lvyuan: '91310106MA1FY0AB2A' } as const;

let segmentCounter = 0;

describe('tasks on the local stack', () => {
  let procurement: string;
  let inspector: string;
  let huanjieToken: string;
  let lvyuanToken: string;
  let huanjieContract: Contract;
  let lvyuanContract: Contract;
  let scope: string[];
  let tenantId: string;

  async function newSegment(token: string): Promise<string> {
    segmentCounter += 1;
    const lon = 121.44 + segmentCounter * 0.003;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token,
      body: {
        name: `任务路${segmentCounter}号段`,
        street: '南京西路街道',
        grade: 'branch',
        flags: [],
        widthM: 12,
        geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237]] },
      },
    });
    expect(created.status, created.text).toBe(201);
    return created.json.segmentId;
  }

  async function activeContract(contractorId: string, segments: readonly string[]): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId,
        serviceType: 'cleaning',
        title: '南京西路街道道路保洁服务合同',
        startDate: today,
        endDate: end,
        performanceBondFen: 5_000_000,
        scope: segments,
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

  beforeAll(async () => {
    tenantId = uniqueTenantId('tasks');
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
    huanjieToken = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    lvyuanToken = await tokenFor('contractor', { tenantId, contractorId: lvyuan });
    scope = [await newSegment(procurement), await newSegment(procurement)];
    huanjieContract = await activeContract(huanjie, scope);
    lvyuanContract = await activeContract(lvyuan, [await newSegment(procurement)]);
  });

  it("lists today's tasks of its own contract for the contractor, all pending", async () => {
    const answer = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks`, { token: huanjieToken });

    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.date).toBe(today);
    expect(answer.json.items).toHaveLength(6);
    expect(new Set(answer.json.items.map((task) => task.segmentId))).toEqual(new Set(scope));
    expect(answer.json.items.map((task) => task.activity).sort()).toEqual(['patrol_clean', 'patrol_clean', 'sweep', 'sweep', 'sweep', 'sweep']);
    expect(answer.json.items.every((task) => task.status === 'pending' && task.localDate === today)).toBe(true);
    expect(answer.json.nextCursor).toBeUndefined();
  });

  it('pages with a cursor bound to the list, and refuses a cursor of another list', async () => {
    const path = `/v1/contracts/${huanjieContract.contractId}/tasks?date=${tomorrow}`;
    const first = await api.request<TaskPage>('GET', `${path}&limit=4`, { token: huanjieToken });
    const second = await api.request<TaskPage>('GET', `${path}&limit=4&cursor=${first.json.nextCursor}`, { token: huanjieToken });
    const foreign = await api.request<Problem>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks?date=${today}&cursor=${first.json.nextCursor}`, { token: huanjieToken });

    expect(first.json.items).toHaveLength(4);
    expect(second.json.items).toHaveLength(2);
    expect(second.json.nextCursor).toBeUndefined();
    expect(new Set([...first.json.items, ...second.json.items].map((task) => task.taskId)).size).toBe(6);
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors?.map((error) => error.field)).toEqual(['query.cursor']);
  });

  it('filters by segment and activity', async () => {
    const answer = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks?segmentId=${scope[0]}&activity=sweep`, { token: huanjieToken });

    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.items.map((task) => [task.segmentId, task.activity])).toEqual([
      [scope[0], 'sweep'],
      [scope[0], 'sweep'],
    ]);
  });

  it("refuses another contractor's contract (403) and answers 404 for an unknown one", async () => {
    const other = await api.request<Problem>('GET', `/v1/contracts/${lvyuanContract.contractId}/tasks`, { token: huanjieToken });
    const own = await api.request<TaskPage>('GET', `/v1/contracts/${lvyuanContract.contractId}/tasks`, { token: lvyuanToken });
    const unknown = await api.request<Problem>('GET', `/v1/contracts/con_01jzzzzzzzzzzzzzzzzzzzzzzz/tasks`, { token: procurement });

    expect(other.status).toBe(403);
    expect(own.status).toBe(200);
    expect(own.json.items).toHaveLength(3);
    expect(unknown.status).toBe(404);
  });

  it('resolves a task id from the list; a made-up or tampered id is 404', async () => {
    const list = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks`, { token: huanjieToken });
    const task = list.json.items[0]!;
    const at = 20;
    const tampered = `${task.taskId.slice(0, at)}${task.taskId[at] === 'a' ? 'b' : 'a'}${task.taskId.slice(at + 1)}`;

    const resolved = await api.request<TaskView>('GET', `/v1/tasks/${task.taskId}`, { token: huanjieToken });
    const madeUp = await api.request<Problem>('GET', `/v1/tasks/tsk_${'a'.repeat(60)}`, { token: huanjieToken });
    const changed = await api.request<Problem>('GET', `/v1/tasks/${tampered}`, { token: huanjieToken });
    const malformed = await api.request<Problem>('GET', '/v1/tasks/not-a-task', { token: huanjieToken });
    const otherContractor = await api.request<Problem>('GET', `/v1/tasks/${task.taskId}`, { token: lvyuanToken });

    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json).toEqual(task);
    expect(madeUp.status).toBe(404);
    expect(changed.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(otherContractor.status).toBe(403);
  });

  it("a weather suspension removes that activity's tasks that day, and its withdrawal brings them back", async () => {
    const declared = await api.request<{ exceptionId: string; version: number; author: string; createdBy: string }>('POST', '/v1/schedule-exceptions', {
      token: inspector,
      body: { kind: 'weather_suspension', date: tomorrow, activity: 'sweep', reason: '暴雨红色预警,停止普扫' },
    });
    expect(declared.status, declared.text).toBe(201);

    const suspended = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks?date=${tomorrow}`, { token: huanjieToken });
    expect(suspended.json.items.map((task) => task.activity)).toEqual(['patrol_clean', 'patrol_clean']);

    const withdrawn = await api.request('POST', `/v1/schedule-exceptions/${declared.json.exceptionId}/withdraw`, {
      token: procurement,
      headers: { 'if-match': `"${declared.json.version}"` },
      body: { reason: '预警解除' },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const restored = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks?date=${tomorrow}`, { token: huanjieToken });
    expect(restored.json.items).toHaveLength(6);
  });

  it("lists a segment's tasks over a range for an inspector, and refuses more than 31 days naming query.to", async () => {
    const week = await api.request<{ items: TaskView[] }>('GET', `/v1/segments/${scope[1]}/tasks?from=${today}&to=${addDays(today, 6)}`, { token: inspector });
    const tooLong = await api.request<Problem>('GET', `/v1/segments/${scope[1]}/tasks?from=${today}&to=${addDays(today, 31)}`, { token: inspector });

    expect(week.status, week.text).toBe(200);
    expect(week.json.items).toHaveLength(21);
    expect(week.json.items.every((task) => task.segmentId === scope[1] && task.contractId === huanjieContract.contractId)).toBe(true);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.errors?.map((error) => error.field)).toEqual(['query.to']);
  });

  it('joins statuses from the stored outcomes, and filters by status', async () => {
    const path = `/v1/contracts/${huanjieContract.contractId}/tasks?date=${addDays(today, 2)}`;
    const before = await api.request<TaskPage>('GET', path, { token: huanjieToken });
    const task = before.json.items[1]!;
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    const outcomes = new DynamoTaskOutcomeStore(document, localStack().tables.main);
    await outcomes.recordMissed([{ ...task, tenantId, status: 'missed', at: new Date().toISOString(), source: { kind: 'sweep', runId: 'test-run' } }]);

    const after = await api.request<TaskPage>('GET', path, { token: huanjieToken });
    const missed = await api.request<TaskPage>('GET', `${path}&status=missed`, { token: huanjieToken });
    const resolved = await api.request<TaskView>('GET', `/v1/tasks/${task.taskId}`, { token: huanjieToken });

    expect(after.json.items.map((item) => item.status)).toEqual(['pending', 'missed', 'pending', 'pending', 'pending', 'pending']);
    expect(missed.json.items.map((item) => item.taskId)).toEqual([task.taskId]);
    expect(resolved.json.status).toBe('missed');
  });

  it('event windows add tasks on their dates and segments; a suspended segment takes none; vehicle event windows keep out of the bans', async () => {
    const day = addDays(today, 3);
    const event = await api.request('POST', '/v1/schedule-exceptions', {
      token: procurement,
      body: {
        kind: 'event_windows',
        serviceType: 'cleaning',
        activity: 'patrol_clean',
        dates: [day],
        segmentIds: [scope[0]],
        windows: [{ start: '21:00', end: '23:00' }],
        reason: '马拉松赛事保障',
      },
    });
    const suspension = await api.request('POST', '/v1/schedule-exceptions', {
      token: procurement,
      body: { kind: 'segment_suspension', segmentIds: [scope[1]], from: day, to: day, reason: '施工占道:管线迁改' },
    });
    const banned = await api.request<Problem>('POST', '/v1/schedule-exceptions', {
      token: procurement,
      body: { kind: 'event_windows', serviceType: 'cleaning', activity: 'wash', dates: [day], segmentIds: [scope[0]], windows: [{ start: '08:00', end: '10:00' }], reason: '迎检冲洗' },
    });
    expect([event.status, suspension.status]).toEqual([201, 201]);
    expect(banned.status).toBe(400);
    expect(banned.json.errors?.[0]).toEqual({ field: 'body.windows.0', message: expect.stringContaining('overlaps the traffic ban 07:00–09:00') });

    const answer = await api.request<TaskPage>('GET', `/v1/contracts/${huanjieContract.contractId}/tasks?date=${day}`, { token: huanjieToken });

    expect(answer.json.items.map((task) => [task.segmentId, task.activity, task.origin])).toEqual([
      [scope[0], 'sweep', 'standard'],
      [scope[0], 'sweep', 'standard'],
      [scope[0], 'patrol_clean', 'standard'],
      [scope[0], 'patrol_clean', 'event'],
    ]);
  });
});
