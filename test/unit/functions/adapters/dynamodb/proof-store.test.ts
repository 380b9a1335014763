import { DynamoDBClient, InternalServerError, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, StaleVersionError } from '../../../../../domain/errors';
import type { Proof } from '../../../../../domain/proofs/schema';
import type { TaskOutcome } from '../../../../../domain/schedule/outcomes';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoProofStore } from '../../../../../functions/adapters/dynamodb/proof-store';
import { submitTaskProof } from '../../../../../domain/proofs/use-cases';
import { at, taskId } from '../../../domain/proofs/fixtures';
import { crew, harness } from '../../../domain/proofs/proof-fakes';
import { TemporarilyUnavailableError } from '../../../../../functions/shared/errors';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const store = new DynamoProofStore(client, tableName);

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

const proof: Proof = {
  tenantId: 't1',
  proofId: 'prf_01jpz8x4k90000000000000001',
  subject: { kind: 'task', id: 'tsk_1' },
  contractId: 'con_1',
  contractorId: 'ctr_1',
  localDate: '2026-11-23',
  status: 'accepted',
  evidenceIds: ['ev_1', 'ev_2'],
  photoHashes: [a, b],
  capturedAt: '2026-11-23T06:00:00+08:00',
  gps: { lon: 121, lat: 31, accuracyM: 5 },
  failures: [],
  flags: [],
  submittedAt: '2026-11-22T22:10:00.000Z',
  submittedBy: 'crew',
  version: 1,
  reviews: [],
};

const outcome: TaskOutcome = {
  tenantId: 't1',
  taskId: 'tsk_1',
  contractId: 'con_1',
  segmentId: 'seg_1',
  activity: 'sweep',
  windowStart: '2026-11-23T04:30:00+08:00',
  windowEnd: '2026-11-23T07:00:00+08:00',
  localDate: '2026-11-23',
  status: 'done',
  at: '2026-11-22T22:10:00.000Z',
  source: { kind: 'proof', proofId: proof.proofId },
};

const cancelled = (codes: (string | { Code: string; Item?: Record<string, unknown> })[]): TransactionCanceledException =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((code) => (typeof code === 'string' ? { Code: code } : code)) as never,
  });

describe('DynamoProofStore.recordAccepted', () => {
  it('writes proof, pointer, one claim per photo and the outcome in ONE transaction', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    const result = await store.recordAccepted(proof, outcome);

    expect(result).toEqual({ status: 'recorded' });
    const calls = documentMock.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const all = calls[0]!.args[0].input.TransactItems!.map((item) => item.Put!);
    const items = all.filter((put) => put.TableName === tableName);
    // The proof's and the outcome's audit entries ride in the same transaction (issue 8).
    expect(all.filter((put) => put.TableName !== tableName).map((put) => [put.TableName, put.Item!['entity'], put.Item!['entityId'], put.Item!['status']])).toEqual([
      ['xiuhua-unit-audit', 'Proof', proof.proofId, 'accepted'],
      ['xiuhua-unit-audit', 'TaskOutcome', 'tsk_1', 'done'],
    ]);
    expect(items.map((put) => [put.Item!['pk'], put.Item!['sk']])).toEqual([
      ['T#t1#CON#con_1#PRF#2026-11-23', `PRF#${proof.proofId}`],
      [`T#t1#PROOF#${proof.proofId}`, 'POINTER'],
      [`T#t1#PHOTO#${a}`, 'CLAIM'],
      [`T#t1#PHOTO#${b}`, 'CLAIM'],
      ['T#t1#CON#con_1#OUT#2026-11-23', 'TSK#tsk_1'],
    ]);
    expect(items[4]!.ConditionExpression).toBe('attribute_not_exists(pk) OR #status IN (:missed, :rejected)');
    expect(items[0]!.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('derives the request token from the items (an SDK retry resends it, so one that went through is a no-op); each call has its own audit entries', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.recordAccepted(proof, outcome);
    await store.recordAccepted(proof, outcome);

    const [first, second] = documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.ClientRequestToken);
    expect(first).toHaveLength(36);
    expect(second).toHaveLength(36);
    expect(first).not.toBe(second);
  });

  it('reports a photo claimed first by another proof, with its holder', async () => {
    // proof, its audit entry, pointer, claim a, claim b, outcome, its audit entry
    documentMock.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'None', { Code: 'ConditionalCheckFailed', Item: { proofId: { S: 'prf_other' } } }, 'None', 'None']));

    expect(await store.recordAccepted(proof, outcome)).toEqual({ status: 'photo-claimed', sha256: b, otherProofId: 'prf_other' });
  });

  it('reports an outcome taken by another accepted proof', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None']));

    expect(await store.recordAccepted(proof, outcome)).toEqual({ status: 'outcome-taken' });
  });

  it('turns a transaction conflict into a retryable 503, and lets throttling through unchanged', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None', 'None', 'None', 'None', 'None']));
    await expect(store.recordAccepted(proof, outcome)).rejects.toBeInstanceOf(TemporarilyUnavailableError);

    documentMock.reset();
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    documentMock.on(TransactWriteCommand).rejects(throttled);
    await expect(store.recordAccepted(proof, outcome)).rejects.toBe(throttled);
  });
});

describe('DynamoProofStore.recordReview', () => {
  const rejected: Proof = { ...proof, status: 'rejected', version: 2 };
  const outcomeRejected: TaskOutcome = { ...outcome, status: 'rejected' };

  it('moves proof and outcome together, each on its condition', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.recordReview(rejected, 1, outcomeRejected, 'done');

    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!.map((item) => item.Put!);
    expect(items[0]).toMatchObject({ ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    // proof, its audit entry, outcome, its audit entry
    expect(items[2]).toMatchObject({ ConditionExpression: '#status = :from AND #source.#proofId = :proofId', ExpressionAttributeValues: { ':from': 'done', ':proofId': proof.proofId } });
    expect([items[1]!.Item!['entity'], items[1]!.Item!['beforeVersion'], items[1]!.Item!['afterVersion'], items[3]!.Item!['entity'], items[3]!.Item!['status']]).toEqual(['Proof', 1, 2, 'TaskOutcome', 'rejected']);
  });

  it('is stale when the proof moved, and a conflict when the outcome did', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '3' } } }, 'None', 'None', 'None']));
    await expect(store.recordReview(rejected, 1, outcomeRejected, 'done')).rejects.toBeInstanceOf(StaleVersionError);

    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None']));
    await expect(store.recordReview(rejected, 1, outcomeRejected, 'done')).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('DynamoProofStore.get', () => {
  it('follows the pointer to the contract-day partition', async () => {
    documentMock
      .on(GetCommand, { Key: keys.proofPointer('t1', proof.proofId) })
      .resolves({ Item: { ...keys.proofPointer('t1', proof.proofId), contractId: 'con_1', localDate: '2026-11-23' } })
      .on(GetCommand, { Key: keys.proof('t1', 'con_1', '2026-11-23', proof.proofId) })
      .resolves({ Item: { ...keys.proof('t1', 'con_1', '2026-11-23', proof.proofId), entity: 'Proof', ...proof } });

    expect(await store.get('t1', proof.proofId)).toEqual(proof);
  });

  it('is undefined without a pointer', async () => {
    documentMock.on(GetCommand).resolves({});

    expect(await store.get('t1', proof.proofId)).toBeUndefined();
  });
});

describe('submitting through the store when DynamoDB fails', () => {
  const ev = (n: number): string => `ev_${String(n).padStart(32, 'a')}`;
  const input = { evidenceIds: [ev(1), ev(2)], capturedAt: '2026-11-23T06:00:00+08:00', gps: { ...at(10), accuracyM: 8 } };

  function wired(): ReturnType<typeof harness> {
    const h = harness();
    for (const n of [1, 2]) h.evidence.put(ev(n), { sha256: String(n).padStart(64, 'c') });
    documentMock.on(GetCommand).resolves({});
    documentMock.on(BatchGetCommand).resolves({ Responses: { [tableName]: [] } });
    return { ...h, deps: { ...h.deps, proofs: store } };
  }

  const writes = (): NonNullable<TransactWriteCommandInput['TransactItems']>[] =>
    documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);

  it.each([
    ['a 500', new InternalServerError({ message: 'internal', $metadata: {} })],
    ['throttling', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
  ])('after %s the submission fails whole, and the retry writes proof, claims and outcome once', async (_label, failure) => {
    const h = wired();
    documentMock.on(TransactWriteCommand).rejectsOnce(failure).resolves({});

    await expect(submitTaskProof(h.deps, crew, taskId, input)).rejects.toBe(failure);
    expect(writes()).toHaveLength(1);
    const retried = await submitTaskProof(h.deps, crew, taskId, input);

    expect(retried.outcome).toBe('accepted');
    const [, written] = writes();
    const entities = written!.filter((item) => item.Put!.TableName === tableName).map((item) => item.Put!.Item!['entity']);
    expect(entities.sort()).toEqual(['PhotoClaim', 'PhotoClaim', 'Proof', 'ProofPointer', 'TaskOutcome']);
    expect(written!.filter((item) => item.Put!.TableName !== tableName).map((item) => item.Put!.Item!['entity'])).toEqual(['Proof', 'TaskOutcome']);
  });

  it('a transaction conflict is a retryable 503 with nothing written, not a stored refusal', async () => {
    const h = wired();
    documentMock.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None', 'None', 'None', 'None', 'None']));

    await expect(submitTaskProof(h.deps, crew, taskId, input)).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect(writes()).toHaveLength(1);
  });
});

describe('the flagged-proof queue (issue 14): a sparse key on the proof item', () => {
  const flag = { code: 'exif-time-mismatch' as const, evidenceId: 'ev_2', message: 'EXIF time 30 min from the claim', zh: 'EXIF 时间与申报相差 30 分钟' };
  const flagged: Proof = { ...proof, flags: [flag] };
  const proofItemOf = (): Record<string, unknown> => documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;

  it('puts an accepted flagged proof in the queue in its accepting transaction, newest date first by its key', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.recordAccepted(flagged, outcome);

    expect(proofItemOf()).toMatchObject({ gsi1pk: 'T#t1#FLAGGED-PROOFS', gsi1sk: `PRF#2026-11-23#${proof.proofId}` });
  });

  it('leaves an unflagged or refused proof out of it', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.recordAccepted(proof, outcome);
    await store.recordRefused({ ...flagged, status: 'refused' });

    for (const call of documentMock.commandCalls(TransactWriteCommand)) expect(call.args[0].input.TransactItems![0]!.Put!.Item).not.toHaveProperty('gsi1pk');
  });

  it('drops it with the rejecting version and puts it back with the undo', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.recordReview({ ...flagged, status: 'rejected', version: 2 }, 1, { ...outcome, status: 'rejected' }, 'done');
    await store.recordReview({ ...flagged, status: 'accepted', version: 3 }, 2, outcome, 'rejected');

    const [rejected, undone] = documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems![0]!.Put!.Item!);
    expect(rejected).not.toHaveProperty('gsi1pk');
    expect(undone).toMatchObject({ gsi1pk: 'T#t1#FLAGGED-PROOFS', version: 3 });
  });

  it('queries the one GSI newest first, by date range and contract, and strips the index keys from the records', async () => {
    documentMock.on(QueryCommand).resolves({ Items: [{ pk: 'x', sk: 'y', gsi1pk: 'T#t1#FLAGGED-PROOFS', gsi1sk: `PRF#2026-11-23#${proof.proofId}`, entity: 'Proof', ...flagged }] });

    const all = await store.listFlagged('t1', {}, { limit: 20 });
    const some = await store.listFlagged('t1', { contractId: 'con_1', from: '2026-11-01', to: '2026-11-30' }, { limit: 20 });

    const [first, second] = documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({ IndexName: 'byStreet', KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)', ScanIndexForward: false });
    expect(first).not.toHaveProperty('FilterExpression');
    expect(second).toMatchObject({
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'T#t1#FLAGGED-PROOFS', ':from': 'PRF#2026-11-01#', ':to': 'PRF#2026-11-30#~', ':contractId': 'con_1' },
      FilterExpression: '#contractId = :contractId',
    });
    expect(all.items).toEqual([flagged]);
    expect(some.items[0]).not.toHaveProperty('gsi1pk');
  });
});
