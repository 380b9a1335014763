import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractIdFrom, newContract } from '../../domain/contracts/contract';
import { CreateContractInput } from '../../domain/contracts/schema';
import { addDays, localDate } from '../../domain/dates';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import { china2026Calendar } from '../../domain/schedule/calendar';
import { deriveTasks, type Task } from '../../domain/schedule/derive';
import type { TaskOutcome, TaskOutcomeStore } from '../../domain/schedule/outcomes';
import { closingMs } from '../../domain/schedule/sweep';
import { standardTemplateFor } from '../../domain/schedule/templates';
import type { Segment } from '../../domain/segments/schema';
import { DynamoContractStore } from '../../functions/adapters/dynamodb/contract-store';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoSweepCheckpointStore, DynamoTaskOutcomeStore, DynamoTenantDirectory } from '../../functions/adapters/dynamodb/task-outcome-store';
import { createSweepHandler as createHandler, sweepDeps, type SweepHandlerDeps, type SweepLog } from '../../functions/events/missed-task-sweep';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * The missed-task sweep on the local stack: segments through the API, an active cleaning
 * contract written through the contract store (the API refuses back-dated activations, and
 * the sweep needs windows that have closed), then the handler module itself, on a fixed
 * clock so the expected tasks are known exactly.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
/** The sweep's "now": today's local midnight, so the last three days have wholly closed. */
const now = DateTime.fromISO(today, { zone }).toJSDate();
const startDate = addDays(today, -3);
const nextUlid = monotonicFactory();

let document: DynamoDBDocumentClient;
let table: string;
let lon = 121.5;

interface District {
  readonly tenantId: string;
  readonly contractId: string;
  /** Every task closed by `now` (with the 5-minute margin), in no particular order. */
  readonly closed: readonly Task[];
}

/** A tenant with two segments and one active cleaning contract from three days ago. */
async function district(label: string): Promise<District> {
  const tenantId = uniqueTenantId(label);
  await document.send(
    new PutCommand({ TableName: table, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: `${label} 区`, zone, createdAt: now.toISOString() } }),
  );
  await new DynamoTenantDirectory(document, table).register(tenantId);
  const token = await tokenFor('procurement', { tenantId });
  const segments: Segment[] = [];
  for (const grade of ['primary', 'alley'] as const) {
    lon += 0.003;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token,
      body: { name: `扫街路${grade}`, street: '南京西路街道', grade, flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237]] } },
    });
    expect(created.status).toBe(201);
    segments.push(created.json);
  }
  const template = templateById('cleaning-standard')!;
  const fields = CreateContractInput.parse({
    contractorId: 'ctr_sweeptest',
    serviceType: 'cleaning',
    title: '扫街测试合同',
    origin: { kind: 'direct' },
    startDate,
    endDate: addDays(today, 300),
    performanceBondFen: 100_000,
    scope: segments.map((segment) => segment.segmentId),
    pricing: { kind: 'lump_sum', monthlyFen: 1_000_000 },
    standardRef: { standardId: 'cleaning-standard', version: 1 },
    rulebookTemplateId: 'cleaning-standard',
  });
  const draft = newContract(fields, { tenantId, contractId: contractIdFrom(nextUlid()), rulebook: rulebookFromTemplate(template), at: now, by: 'usr_test' });
  const contract = { ...draft, status: 'active' as const };
  await new DynamoContractStore(document, table).save({ contract, expectedVersion: undefined });

  const horizon = now.getTime() - 5 * 60_000;
  const closed = [
    ...deriveTasks({
      contract,
      standards: standardTemplateFor('cleaning'),
      segments: new Map(segments.map((segment) => [segment.segmentId, { grade: segment.grade, flags: segment.flags }])),
      calendar: china2026Calendar,
      zone,
      range: { from: addDays(startDate, -1), to: addDays(today, 1) },
    }),
  ].filter((task) => closingMs(task) <= horizon);
  return { tenantId, contractId: contract.contractId, closed };
}

/** The sweep logs a line per tenant, and the failure test an ERROR on purpose: kept out of the test output. */
const quiet: SweepLog = { info: () => undefined, error: () => undefined };
const createSweepHandler = (depsOf: () => SweepHandlerDeps): ReturnType<typeof createHandler> => createHandler(depsOf, quiet);

function depsWith(overrides: Partial<SweepHandlerDeps> = {}): () => SweepHandlerDeps {
  return () => ({ ...sweepDeps(), clock: { now: () => now }, ...overrides });
}

async function storedOutcomes(d: District): Promise<TaskOutcome[]> {
  const store = new DynamoTaskOutcomeStore(document, table);
  const days = [...new Set(d.closed.map((task) => task.localDate))];
  return (await Promise.all(days.map((date) => store.listByContractDay(d.tenantId, d.contractId, date)))).flat();
}

beforeAll(() => {
  document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
  table = localStack().tables.main;
});

describe('missed-task sweep on the local stack', () => {
  let d: District;

  beforeAll(async () => {
    d = await district('sweep');
  });

  it('records a miss for every closed task, except one already done', async () => {
    // Prepare: a proof accepted for the first task of the first day.
    const done = d.closed[0]!;
    await document.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.taskOutcome(d.tenantId, d.contractId, done.localDate, done.taskId),
          entity: entityTypes.taskOutcome,
          tenantId: d.tenantId,
          taskId: done.taskId,
          contractId: d.contractId,
          segmentId: done.segmentId,
          activity: done.activity,
          windowStart: done.windowStart,
          windowEnd: done.windowEnd,
          localDate: done.localDate,
          status: 'done',
          at: done.windowEnd,
          source: { kind: 'proof', proofId: 'prf_test' },
        },
      }),
    );

    const summary = await createSweepHandler(depsWith())({ tenants: [d.tenantId] });

    expect(d.closed.length).toBeGreaterThan(10);
    expect(summary.recorded).toBe(d.closed.length - 1);
    const outcomes = await storedOutcomes(d);
    expect(outcomes).toHaveLength(d.closed.length);
    expect(outcomes.find((outcome) => outcome.taskId === done.taskId)?.status).toBe('done');
    expect(outcomes.filter((outcome) => outcome.status === 'missed').every((outcome) => outcome.source.kind === 'sweep')).toBe(true);
    const checkpoint = await new DynamoSweepCheckpointStore(document, table).get(d.tenantId);
    expect(checkpoint?.cursor.through).toBe(new Date(now.getTime() - 5 * 60_000).toISOString());
  });

  it('records nothing twice when run again', async () => {
    const summary = await createSweepHandler(depsWith())({ tenants: [d.tenantId] });

    expect(summary.recorded).toBe(0);
    expect(await storedOutcomes(d)).toHaveLength(d.closed.length);
  });

  it('finds the tenant in the registry when the event names none', async () => {
    expect(await new DynamoTenantDirectory(document, table).listTenantIds()).toContain(d.tenantId);
  });
});

describe('missed-task sweep interrupted and resumed', () => {
  it('keeps the checkpoint after a failure part way and completes without doubles on the next run', async () => {
    const d = await district('sweepresume');
    const real = new DynamoTaskOutcomeStore(document, table);
    let failed = false;
    // Writes the first chunk of five, then fails as a crashed invocation would.
    const flaky: TaskOutcomeStore = {
      get: (tenantId, task) => real.get(tenantId, task),
      getMany: (tenantId, tasks) => real.getMany(tenantId, tasks),
      listByContractDay: (tenantId, contractId, date) => real.listByContractDay(tenantId, contractId, date),
      recordMissed: async (outcomes) => {
        if (failed) return real.recordMissed(outcomes);
        failed = true;
        await real.recordMissed(outcomes.slice(0, 5));
        throw new Error('injected failure after the first chunk');
      },
    };

    await expect(createSweepHandler(depsWith({ outcomes: flaky }))({ tenants: [d.tenantId] })).rejects.toThrow(/failed for 1 of 1 tenants/);
    expect(await new DynamoSweepCheckpointStore(document, table).get(d.tenantId)).toBeUndefined();
    expect(await storedOutcomes(d)).toHaveLength(5);

    const resumed = await createSweepHandler(depsWith({ outcomes: flaky }))({ tenants: [d.tenantId] });

    expect(resumed.recorded).toBe(d.closed.length - 5);
    const outcomes = await storedOutcomes(d);
    expect(outcomes).toHaveLength(d.closed.length);
    expect(new Set(outcomes.map((outcome) => outcome.taskId)).size).toBe(d.closed.length);
  });
});
