import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../../domain/errors';
import type { Inspection } from '../../../../../domain/inspections/schema';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoInspectionStore } from '../../../../../functions/adapters/dynamodb/inspection-store';
import { DynamoRectificationStore } from '../../../../../functions/adapters/dynamodb/rectification-store';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const store = new DynamoInspectionStore(client, tableName, new DynamoRectificationStore(client, tableName));

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const inspection: Inspection = {
  inspectionId: 'ins_01jnq000000000000000000002',
  tenantId: 't1',
  contractId: 'con_1',
  contractorId: 'ctr_1',
  serviceType: 'cleaning',
  termsVersion: 1,
  segmentId: 'seg_1',
  at: '2026-03-05T02:00:00.000Z',
  localDate: '2026-03-05',
  month: '2026-03',
  kind: 'patrol',
  inspectorIds: ['usr_1'],
  findings: [],
  lines: [],
  totals: { pointsX100: 0, fineFen: 0, provisionalPointsX100: 0, provisionalFineFen: 0 },
  orderIds: [],
  supersedes: { inspectionId: 'ins_01jnq000000000000000000001', reason: '记错' },
  recordedAt: '2026-03-05T02:01:00.000Z',
  recordedBy: 'usr_1',
  version: 1,
};

type Put = { Put: { TableName: string; Item: Record<string, unknown> } };

describe('DynamoInspectionStore.record', () => {
  it('writes the inspection, its two listing copies and the superseded guard in one transaction, with an audit entry for each inspection', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await store.record(inspection, []);

    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as Put[];
    const audit = (item: Put): boolean => item.Put.TableName === 'xiuhua-unit-audit';
    expect(items.filter((item) => !audit(item)).map((item) => `${String(item.Put.Item['pk'])} ${String(item.Put.Item['sk'])}`)).toEqual([
      `${keys.inspectionPartition('t1', inspection.inspectionId)} INSPECTION`,
      `${keys.inspectionsOfContractMonth('t1', 'con_1', '2026-03')} AT#${inspection.at}#${inspection.inspectionId}`,
      `${keys.inspectionsOfSegmentMonth('t1', 'seg_1', '2026-03')} AT#${inspection.at}#${inspection.inspectionId}`,
      `${keys.inspectionPartition('t1', 'ins_01jnq000000000000000000001')} SUPERSEDED`,
    ]);
    // The new inspection, and the corrected one (it now reads as superseded).
    expect(items.filter(audit).map((item) => [item.Put.Item['entity'], item.Put.Item['entityId'], item.Put.Item['status'] ?? null])).toEqual([
      ['Inspection', inspection.inspectionId, null],
      ['Inspection', 'ins_01jnq000000000000000000001', 'superseded'],
    ]);
  });

  it('answers a second correction of the same inspection with ConflictError', async () => {
    documentMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );

    await expect(store.record(inspection, [])).rejects.toThrow(
      new ConflictError("inspection 'ins_01jnq000000000000000000001' was already corrected; correct the correction instead", {
        zh: "检查记录 'ins_01jnq000000000000000000001' 已被更正过；请改为更正那次更正",
      }),
    );
  });
});
