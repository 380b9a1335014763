import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../../domain/errors';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { findPhotoClaims, guardTransactItem, photoClaimGuards, takenClaimOf } from '../../../../../functions/adapters/dynamodb/photo-claims';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('photoClaimGuards', () => {
  it('puts one claim per distinct hash, only where none exists, naming the hash', () => {
    const guards = photoClaimGuards('t1', [
      { sha256: a, proofId: 'prf_1', subjectId: 'tsk_1' },
      { sha256: a, proofId: 'prf_1', subjectId: 'tsk_1' },
      { sha256: b, proofId: 'prf_1', subjectId: 'tsk_1' },
    ]);

    expect(guards).toHaveLength(2);
    expect(guards[0]).toEqual({
      key: keys.photoClaim('t1', a),
      attributes: { entity: 'PhotoClaim', tenantId: 't1', sha256: a, proofId: 'prf_1', subjectId: 'tsk_1' },
      condition: { expression: 'attribute_not_exists(pk)' },
      message: `photo sha-256 ${a} is already used by another proof`,
      messageZh: `照片 sha-256 ${a} 已被另一份凭证使用`,
    });
    expect(guardTransactItem(tableName, guards[0]!).Put).toMatchObject({ Item: { pk: 'T#t1#PHOTO#' + a, sk: 'CLAIM', entity: 'PhotoClaim' }, ConditionExpression: 'attribute_not_exists(pk)' });
  });
});

describe('findPhotoClaims', () => {
  it('reads the claims with consistent BatchGets and retries unprocessed keys', async () => {
    documentMock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [tableName]: [{ sha256: a, proofId: 'prf_1', subjectId: 'tsk_1' }] }, UnprocessedKeys: { [tableName]: { Keys: [keys.photoClaim('t1', b)] } } })
      .resolvesOnce({ Responses: { [tableName]: [{ sha256: b, proofId: 'prf_2', subjectId: 'rec_1' }] } });

    const found = await findPhotoClaims(client, tableName, 't1', [a, b, a]);

    expect(found).toEqual(new Map([[a, { proofId: 'prf_1', subjectId: 'tsk_1' }], [b, { proofId: 'prf_2', subjectId: 'rec_1' }]]));
    const first = documentMock.commandCalls(BatchGetCommand)[0]!.args[0].input;
    expect(first.RequestItems?.[tableName]).toEqual({ Keys: [keys.photoClaim('t1', a), keys.photoClaim('t1', b)], ConsistentRead: true });
  });
});

describe('takenClaimOf', () => {
  it('names the hash and holder of a cancelled composed transaction', () => {
    const error = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { proofId: { S: 'prf_9' } } }],
    });

    expect(takenClaimOf(error, { start: 1, hashes: [a, b] })).toEqual({ sha256: b, proofId: 'prf_9' });
    expect(takenClaimOf(error, { start: 3, hashes: [a] })).toBeUndefined();
  });

  it("reads the hash from VersionedItems' conflict, through causes", () => {
    const conflict = new ConflictError(`photo sha-256 ${a} is already used by another proof`);

    expect(takenClaimOf(new Error('wrapped', { cause: conflict }))).toEqual({ sha256: a });
    expect(takenClaimOf(new ConflictError('segment exists'))).toBeUndefined();
  });
});
