import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type PutCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../../domain/errors';
import type { Evidence, IngestResult } from '../../../../../domain/proofs/evidence';
import { DynamoEvidenceStore } from '../../../../../functions/adapters/dynamodb/evidence-store';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const store = new DynamoEvidenceStore(client, tableName);

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const conditionFailed = (item?: Record<string, unknown>): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item === undefined ? {} : { Item: item as never }) });

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

describe('DynamoEvidenceStore.issue', () => {
  it('puts the awaiting item only where none exists, with a TTL a week after issue', async () => {
    documentMock.on(PutCommand).resolves({});

    await store.issue(awaiting());

    const input = documentMock.commandCalls(PutCommand)[0]!.args[0].input as PutCommandInput;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({ pk: 'T#t1#SUBJ#tsk_1#EVD', sk: 'EV#ev_0123456789abcdef0123456789abcdef', entity: 'Evidence', status: 'awaiting_upload' });
    expect(input.Item?.['expiresAt']).toBe(Date.parse('2026-11-29T21:00:00Z') / 1000);
  });

  it('turns an existing id into a ConflictError', async () => {
    documentMock.on(PutCommand).rejects(conditionFailed());

    await expect(store.issue(awaiting())).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('DynamoEvidenceStore.recordIngest', () => {
  it('sets the result on an awaiting item and removes its TTL', async () => {
    documentMock.on(UpdateCommand).resolves({});

    const outcome = await store.recordIngest('t1', 'tsk_1', 'ev_1', valid);

    expect(outcome).toBe('recorded');
    const input = documentMock.commandCalls(UpdateCommand)[0]!.args[0].input as UpdateCommandInput;
    expect(input.Key).toEqual(keys.evidence('t1', 'tsk_1', 'ev_1'));
    expect(input.ConditionExpression).toBe('#status = :awaiting');
    expect(input.ExpressionAttributeValues?.[':awaiting']).toBe('awaiting_upload');
    expect(input.UpdateExpression).toMatch(/ REMOVE #ttl$/);
    expect(input.ExpressionAttributeNames?.['#ttl']).toBe('expiresAt');
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    // Every field of the result is set, by name.
    const setNames = Object.entries(input.ExpressionAttributeNames ?? {}).filter(([placeholder]) => placeholder.startsWith('#f')).map(([, name]) => name);
    expect(setNames.sort()).toEqual(Object.keys(valid).sort());
  });

  it("answers 'already' when the item exists but was ingested (a duplicate event)", async () => {
    documentMock.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'x' }, status: { S: 'valid' } }));

    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).resolves.toBe('already');
  });

  it("answers 'missing' when no item was ever issued", async () => {
    documentMock.on(UpdateCommand).rejects(conditionFailed());

    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).resolves.toBe('missing');
  });

  it('lets throttling through, with context, so the event is retried', async () => {
    documentMock.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    await expect(store.recordIngest('t1', 'tsk_1', 'ev_1', valid)).rejects.toThrow(/could not record the ingest of evidence ev_1/);
  });
});

describe('DynamoEvidenceStore.recordUnissued', () => {
  const unissued: Evidence = { ...awaiting(), status: 'refused', contractorId: '', refusal: { code: 'not-issued', message: 'no upload was issued' } };

  it('puts the refused item once, without a TTL', async () => {
    documentMock.on(PutCommand).resolves({});

    await expect(store.recordUnissued(unissued)).resolves.toBe('recorded');

    const input = documentMock.commandCalls(PutCommand)[0]!.args[0].input as PutCommandInput;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).not.toHaveProperty('expiresAt');
  });

  it("answers 'already' for a repeat", async () => {
    documentMock.on(PutCommand).rejects(conditionFailed());

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
