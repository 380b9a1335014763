import { DynamoDBClient, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, type BatchGetCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../../domain/errors';
import type { Evidence, IngestResult } from '../../../../../domain/proofs/evidence';
import { DynamoEvidenceStore } from '../../../../../functions/adapters/dynamodb/evidence-store';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const store = new DynamoEvidenceStore(client, tableName);

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

/** A cancelled transaction whose first item (the evidence write) failed as `reason` says; the audit entry did not. */
const cancelled = (reason: { Code: string; Item?: Record<string, unknown> }): TransactionCanceledException =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [reason, { Code: 'None' }] as never });

function awaiting(evidenceId = 'ev_0123456789abcdef0123456789abcdef'): Evidence {
  return {
    tenantId: 't1',
    evidenceId,
    key: `proofs/t1/con_1/2026-11-23/tsk_1/x.jpg`,
    contractId: 'con_1',
    contractorId: 'ctr_1',
    subject: { kind: 'task', id: 'tsk_1' },
    localDate: '2026-11-23',
    status: 'awaiting_upload',
    declaredContentType: 'image/jpeg',
    issuedAt: '2026-11-22T21:00:00.000Z',
    issuedBy: 'user-1',
  };
}

const valid: IngestResult = {
  status: 'valid',
  detectedContentType: 'image/jpeg',
  sizeBytes: 12_288,
  sha256: 'a'.repeat(64),
  uploadedAt: '2026-11-22T21:01:00.000Z',
  ingestedAt: '2026-11-22T21:01:02.000Z',
  exif: { capturedAt: '2026-11-23T05:00:00+08:00' },
};

/** The items of the n-th transaction: the evidence write, then its audit entry (issue 8). */
function transaction(n = 0): NonNullable<TransactWriteCommandInput['TransactItems']> {
  return documentMock.commandCalls(TransactWriteCommand)[n]!.args[0].input.TransactItems!;
}

describe('DynamoEvidenceStore.issue', () => {
  it('puts the awaiting item only where none exists, with a TTL a week after issue, and its audit entry in the same transaction', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.issue(awaiting());

    const [write, audit] = transaction();
    const input = write!.Put!;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({ pk: 'T#t1#SUBJ#tsk_1#EVD', sk: 'EV#ev_0123456789abcdef0123456789abcdef', entity: 'Evidence', status: 'awaiting_upload' });
    expect(input.Item?.['expiresAt']).toBe(Date.parse('2026-11-29T21:00:00Z') / 1000);
    expect(audit!.Put).toMatchObject({
      TableName: 'xiuhua-unit-audit',
      Item: { entity: 'Evidence', entityId: 'ev_0123456789abcdef0123456789abcdef', tenantId: 't1', beforeVersion: null, afterVersion: null, status: 'awaiting_upload' },
    });
    expect(documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.ClientRequestToken).toHaveLength(36);
  });

  it('turns an existing id into a ConflictError', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed' }));

    await expect(store.issue(awaiting())).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('DynamoEvidenceStore.recordIngest', () => {
  it('sets the result on an awaiting item and removes its TTL, with its audit entry', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    const outcome = await store.recordIngest('t1', 'tsk_1', 'ev_1', valid);

    expect(outcome).toBe('recorded');
    const [write, audit] = transaction();
    const input = write!.Update!;
    expect(input.Key).toEqual(keys.evidence('t1', 'tsk_1', 'ev_1'));
    expect(input.ConditionExpression).toBe('#status = :awaiting');
    expect(input.ExpressionAttributeValues?.[':awaiting']).toBe('awaiting_upload');
    expect(input.UpdateExpression).toMatch(/ REMOVE #ttl$/);
    expect(input.ExpressionAttributeNames?.['#ttl']).toBe('expiresAt');
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    // Every field of the result is set, by name.
    const setNames = Object.entries(input.ExpressionAttributeNames ?? {}).filter(([placeholder]) => placeholder.startsWith('#f')).map(([, name]) => name);
    expect(setNames.sort()).toEqual(Object.keys(valid).sort());
    expect(audit!.Put?.Item).toMatchObject({ entity: 'Evidence', entityId: 'ev_1', status: 'valid' });
  });

  it("answers 'already' when the item exists but was ingested (a duplicate event)", async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed', Item: { pk: { S: 'x' }, status: { S: 'valid' } } }));

    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).resolves.toBe('already');
  });

  it("answers 'missing' when no item was ever issued", async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed' }));

    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).resolves.toBe('missing');
  });

  it('lets throttling and a transaction conflict through, with context, so the event is retried', async () => {
    documentMock.on(TransactWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).rejects.toThrow(/could not record the ingest of evidence ev_1/);

    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejects(cancelled({ Code: 'TransactionConflict' }));
    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).rejects.toThrow(/could not record the ingest of evidence ev_1/);
  });
});

describe('DynamoEvidenceStore.recordUnissued', () => {
  const unissued: Evidence = { ...awaiting(), status: 'refused', contractorId: '', refusal: { code: 'not-issued', message: 'no upload was issued' } };

  it('puts the refused item once, without a TTL, with its audit entry', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await expect(store.recordUnissued(unissued)).resolves.toBe('recorded');

    const [write, audit] = transaction();
    expect(write!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(write!.Put!.Item).not.toHaveProperty('expiresAt');
    expect(audit!.Put?.Item).toMatchObject({ entity: 'Evidence', status: 'refused' });
  });

  it("answers 'already' for a repeat", async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed' }));

    await expect(store.recordUnissued(unissued)).resolves.toBe('already');
  });
});

describe('DynamoEvidenceStore.getMany', () => {
  it('retries unprocessed keys and answers in the order asked, without keys or TTL', async () => {
    const a = awaiting('ev_a');
    const b = { ...awaiting('ev_b'), status: 'valid' as const };
    const stored = (evidence: Evidence, ttl?: number): Record<string, unknown> => ({
      ...keys.evidence('t1', 'tsk_1', evidence.evidenceId),
      entity: 'Evidence',
      ...evidence,
      ...(ttl === undefined ? {} : { expiresAt: ttl }),
    });
    documentMock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [tableName]: [stored(b)] },
        UnprocessedKeys: { [tableName]: { Keys: [keys.evidence('t1', 'tsk_1', 'ev_a')] } },
      })
      .resolvesOnce({ Responses: { [tableName]: [stored(a, 1_900_000_000)] } });

    const items = await store.getMany('t1', 'tsk_1', ['ev_a', 'ev_b', 'ev_missing', 'ev_a']);

    expect(items).toEqual([a, b]);
    const calls = documentMock.commandCalls(BatchGetCommand).map((call) => call.args[0].input as BatchGetCommandInput);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.RequestItems?.[tableName]?.Keys).toHaveLength(3);
    expect(calls[0]!.RequestItems?.[tableName]?.ConsistentRead).toBe(true);
    expect(calls[1]!.RequestItems?.[tableName]?.Keys).toEqual([keys.evidence('t1', 'tsk_1', 'ev_a')]);
  });
});
