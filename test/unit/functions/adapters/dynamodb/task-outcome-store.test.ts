import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, type PutCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StaleVersionError } from '../../../../../domain/errors';
import type { SweepCheckpoint, TaskOutcome } from '../../../../../domain/schedule/outcomes';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoSweepCheckpointStore, DynamoTaskOutcomeStore } from '../../../../../functions/adapters/dynamodb/task-outcome-store';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const conditionFailed = (): ConditionalCheckFailedException => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
/** The outcome's put (item 0) failed its condition; its audit entry did not. */
const cancelledOnOutcome = (): TransactionCanceledException =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });

function miss(n: number): TaskOutcome {
  return {
    tenantId: 't1',
    taskId: `tsk_${n}`,
    contractId: 'con_1',
    segmentId: 'seg_1',
    activity: 'sweep',
    windowStart: '2026-07-01T05:00:00+08:00',
    windowEnd: '2026-07-01T07:00:00+08:00',
    localDate: '2026-07-01',
    status: 'missed',
    at: '2026-07-02T00:00:00.000Z',
    source: { kind: 'sweep', runId: 'run-1' },
  };
}

describe('DynamoTaskOutcomeStore.recordMissed', () => {
  it('puts each miss only where no outcome exists, in its contract-day partition, with its audit entry in the same transaction', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    const result = await new DynamoTaskOutcomeStore(client, tableName).recordMissed([miss(1)]);

    // Assess
    expect(result).toEqual({ recorded: 1, alreadyKnown: 0 });
    const [put, audit] = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const input = put!.Put!;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({ ...keys.taskOutcome('t1', 'con_1', '2026-07-01', 'tsk_1'), entity: 'TaskOutcome', status: 'missed' });
    expect(input.Item?.['pk']).toBe('T#t1#CON#con_1#OUT#2026-07-01');
    expect(audit!.Put).toMatchObject({ TableName: 'xiuhua-unit-audit', Item: { entity: 'TaskOutcome', entityId: 'tsk_1', tenantId: 't1', status: 'missed' } });
  });

  it('counts a task that already has an outcome instead of overwriting it', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (input.TransactItems?.[0]?.Put?.Item?.['taskId'] === 'tsk_2') throw cancelledOnOutcome();
      return {};
    });

    // Act
    const result = await new DynamoTaskOutcomeStore(client, tableName).recordMissed([miss(1), miss(2), miss(3)]);

    // Assess
    expect(result).toEqual({ recorded: 2, alreadyKnown: 1 });
  });

  it('fails on any other error, with the task named', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(new Error('throttled'));

    // Act / Assess
    await expect(new DynamoTaskOutcomeStore(client, tableName).recordMissed([miss(1), miss(2)])).rejects.toThrow(/could not record task tsk_\d as missed/);
  });
});

describe('DynamoSweepCheckpointStore.save', () => {
  const checkpoint: SweepCheckpoint = { tenantId: 't1', cursor: { through: '2026-07-01T23:55:00.000Z' }, version: 2, runId: 'run-2', updatedAt: '2026-07-02T00:00:00.000Z' };

  it('writes on condition of the version read', async () => {
    documentMock.on(PutCommand).resolves({});

    await new DynamoSweepCheckpointStore(client, tableName).save(checkpoint, 1);

    const input = documentMock.commandCalls(PutCommand)[0]!.args[0].input as PutCommandInput;
    expect(input.ConditionExpression).toBe('#version = :expected');
    expect(input.ExpressionAttributeValues).toEqual({ ':expected': 1 });
    expect(input.Item).toMatchObject(keys.missedTaskSweepCheckpoint('t1'));
  });

  it('reports a checkpoint another run moved as a stale version', async () => {
    documentMock.on(PutCommand).rejects(conditionFailed());

    await expect(new DynamoSweepCheckpointStore(client, tableName).save(checkpoint, 1)).rejects.toBeInstanceOf(StaleVersionError);
  });
});
