import { describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '../../../../../functions/shared/openapi';
import { httpModules } from '../../../../../functions/http/manifest';
import { namedOrderPage, withOrderNames, type NameIndex, type NameReader } from '../../../../../functions/http/shared/names';
import { activityLabel, namedTasks } from '../../../../../functions/http/tasks/names';

const index: NameIndex = {
  contracts: new Map([['con_1', '南京西路街道道路保洁服务合同']]),
  contractors: new Map([['ctr_1', '上海环杰环境服务有限公司']]),
  segments: new Map([['seg_1', { name: '常德路(南京西路—延安中路)', street: '南京西路街道' }]]),
};

describe('names beside ids', () => {
  it('puts the contract title, contractor name, segment name and street beside the ids', () => {
    // Prepare
    const order = { orderId: 'rec_1', contractId: 'con_1', contractorId: 'ctr_1', segmentId: 'seg_1' };

    // Act
    const named = withOrderNames(order, order, index);

    // Assess
    expect(named).toEqual({ ...order, contractTitle: '南京西路街道道路保洁服务合同', contractorName: '上海环杰环境服务有限公司', segmentName: '常德路(南京西路—延安中路)', street: '南京西路街道' });
  });

  it('leaves out a name that was not found instead of inventing one', () => {
    // Prepare
    const order = { orderId: 'rec_2', contractId: 'con_gone', contractorId: 'ctr_1', segmentId: 'seg_gone' };

    // Act
    const named = withOrderNames(order, order, index);

    // Assess
    expect(named).toEqual({ ...order, contractorName: '上海环杰环境服务有限公司' });
  });

  it('names a page with one read of the distinct ids, and an empty page with none', async () => {
    // Prepare
    const read = vi.fn<NameReader>(async () => index);
    const items = [1, 2, 3].map((n) => ({ orderId: `rec_${n}`, contractId: 'con_1', contractorId: 'ctr_1', segmentId: 'seg_1' }));

    // Act
    const page = await namedOrderPage('t1', { items, nextCursor: 'c' }, (order: (typeof items)[number]) => order, read);
    const empty = await namedOrderPage('t1', { items: [] as typeof items }, (order: (typeof items)[number]) => order, read);

    // Assess
    expect(read).toHaveBeenCalledTimes(1);
    const wanted = read.mock.calls[0]![1];
    expect([...(wanted.contractIds ?? [])]).toEqual(['con_1']);
    expect([...(wanted.segmentIds ?? [])]).toEqual(['seg_1']);
    expect(page.nextCursor).toBe('c');
    expect(page.items.every((item) => item.contractTitle === '南京西路街道道路保洁服务合同')).toBe(true);
    expect(empty.items).toEqual([]);
  });
});

describe('tasks as a crew reads them', () => {
  it('labels the shipped activities in Chinese and English, and a district\'s own by its slug', () => {
    // Act
    const labels = ['sweep', 'bin_clean', 'night_wash'].map(activityLabel);

    // Assess
    expect(labels).toEqual([{ zh: '普扫', en: 'Sweeping' }, { zh: '果皮箱清洗', en: 'Litter bin cleaning' }, { zh: 'night_wash', en: 'night_wash' }]);
  });

  it("carries the segment's name and street beside its id", async () => {
    // Prepare
    const read: NameReader = async () => index;
    const day = { windowStart: '2026-12-07T05:00:00+08:00', localDate: '2026-12-07' };
    const tasks = [{ taskId: 'a', segmentId: 'seg_1', activity: 'sweep', ...day }, { taskId: 'b', segmentId: 'seg_gone', activity: 'patrol_clean', ...day }];
    // Uploads open 60 min before the window and close at the end of the next day (00:00 on the 9th, +08:00).
    const intake = { opens: '2026-12-06T20:00:00.000Z', closes: '2026-12-08T16:00:00.000Z' };

    // Act
    const named = await namedTasks('t1', tasks, read);

    // Assess
    expect(named).toEqual([
      { taskId: 'a', segmentId: 'seg_1', activity: 'sweep', ...day, segmentName: '常德路(南京西路—延安中路)', street: '南京西路街道', activityLabel: { zh: '普扫', en: 'Sweeping' }, intake },
      { taskId: 'b', segmentId: 'seg_gone', activity: 'patrol_clean', ...day, activityLabel: { zh: '巡回保洁', en: 'Patrol cleaning' }, intake },
    ]);
  });
});

describe('the OpenAPI document', () => {
  it('documents the names of tasks, rectification orders and work orders', () => {
    // Act
    const schemas = (openApiDocument(httpModules) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }).components.schemas;

    // Assess
    expect(Object.keys(schemas['Task']?.properties ?? {})).toEqual(expect.arrayContaining(['segmentName', 'street', 'activityLabel']));
    for (const id of ['NamedRectificationOrder', 'NamedWorkOrder']) {
      expect(Object.keys(schemas[id]?.properties ?? {})).toEqual(expect.arrayContaining(['contractTitle', 'contractorName', 'segmentName', 'street']));
    }
  });
});
