import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import { localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { Problem } from '../../functions/shared/schemas';
import { DynamoEvidenceStore } from '../../functions/adapters/dynamodb/evidence-store';
import { DynamoInspectionStore } from '../../functions/adapters/dynamodb/inspection-store';
import { findPhotoClaims } from '../../functions/adapters/dynamodb/photo-claims';
import { DynamoRectificationStore } from '../../functions/adapters/dynamodb/rectification-store';
import { ConflictError } from '../../domain/errors';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { activeCleaningContract } from '../helpers/cleaning-contract';
import { localDynamo, localStack } from '../helpers/local-stack';
import { jpegWithExif } from '../helpers/photos';
import { emulateObjectCreated, uploadWithPresignedPost } from '../helpers/s3-events';

/**
 * Inspection photos on the local stack (issue 6 "Photos reuse the evidence upload
 * machinery"): the inspector's upload allocates the inspection's id, the photo goes through
 * the presigned POST and the ingest handler like a crew's, and recording the inspection
 * checks and claims it — so the same picture cannot evidence a second inspection, and a
 * photo filed under another subject (a rectification order) is not the inspection's.
 */

const today = localDate(new Date(), 'Asia/Shanghai');

interface IssuedInspectionUpload {
  readonly inspectionId: string;
  readonly contractId: string;
  readonly evidenceId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}

interface Recorded {
  readonly inspection: Inspection;
  readonly orders: RectificationOrder[];
}

describe('inspection photos on the local stack', () => {
  let tenantId: string;
  let inspector: string;
  let contractorToken: string;
  let segmentId: string;
  let contract: Contract;
  let minute = 0;
  let documentClient: DynamoDBDocumentClient;
  let tables: { main: string };

  /** A distinct JPEG (its EXIF minute differs) taken this morning on the segment. */
  function picture(): Buffer {
    minute += 1;
    return jpegWithExif({ capturedAt: `${today}T08:${String(minute).padStart(2, '0')}:00+08:00`, lon: 121.4506, lat: 31.2234, padToBytes: 24_000 + minute });
  }

  /** Issues an inspection upload, posts the bytes through the presigned form, ingests them. */
  async function uploadPhoto(bytes: Buffer, inspectionId?: string): Promise<IssuedInspectionUpload> {
    const answer = await api.request<IssuedInspectionUpload>('POST', '/v1/inspections/uploads', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', contentType: 'image/jpeg', ...(inspectionId === undefined ? {} : { inspectionId }) },
    });
    expect(answer.status, answer.text).toBe(201);
    const posted = await uploadWithPresignedPost(answer.json.url, answer.json.fields, bytes, 'image/jpeg');
    expect(posted.status, 'S3 POST').toBeLessThan(300);
    const outcomes = await emulateObjectCreated([answer.json.key]);
    expect(outcomes.map((outcome) => (outcome.outcome === 'ignored' ? outcome.outcome : outcome.result?.status)), JSON.stringify(outcomes)).toEqual(['valid']);
    return answer.json;
  }

  function inspectionBody(inspectionId: string, evidenceIds: readonly string[]): Record<string, unknown> {
    return { segmentId, serviceType: 'cleaning', inspectionId, at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1, note: '路沿烟头', evidenceIds }] };
  }

  beforeAll(async () => {
    documentClient = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    tables = { main: localStack().tables.main };
    tenantId = uniqueTenantId('inspection-photos');
    inspector = await tokenFor('inspector', { tenantId });
    ({ contractorToken, segmentId, contract } = await activeCleaningContract(tenantId, '检查照片路段', today));
  });

  it('records an inspection with the photos its uploads allocated, and shows them on the finding', async () => {
    const first = await uploadPhoto(picture());
    const second = await uploadPhoto(picture(), first.inspectionId);

    const recorded = await api.request<Recorded>('POST', '/v1/inspections', {
      token: inspector,
      headers: { 'idempotency-key': `ins-photos-${tenantId}` },
      body: inspectionBody(first.inspectionId, [first.evidenceId, second.evidenceId]),
    });

    expect(first.inspectionId).toMatch(/^ins_[0-9a-z]{26}$/);
    expect(first.contractId).toBe(contract.contractId);
    expect(first.key).toBe(first.fields['key']);
    expect(first.key.startsWith(`proofs/${tenantId}/${contract.contractId}/${today}/${first.inspectionId}/`)).toBe(true);
    expect(second.inspectionId).toBe(first.inspectionId);
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.json.inspection.inspectionId).toBe(first.inspectionId);
    expect(recorded.json.inspection.findings[0]?.evidenceIds).toEqual([first.evidenceId, second.evidenceId]);
    const read = await api.request<Inspection>('GET', `/v1/inspections/${first.inspectionId}`, { token: inspector });
    expect(read.status, read.text).toBe(200);
    expect(read.json.findings[0]?.evidenceIds).toEqual([first.evidenceId, second.evidenceId]);
  });

  it('refuses photos of an inspection dated ahead of the clock by the evidence rule, in Chinese too', async () => {
    // Prepare
    const photo = await uploadPhoto(picture());
    const body = { ...inspectionBody(photo.inspectionId, [photo.evidenceId]), at: new Date(Date.now() + 3 * 60 * 60_000).toISOString() };

    // Act
    const refused = await api.request<Problem>('POST', '/v1/inspections', { token: inspector, headers: { 'accept-language': 'zh-CN' }, body });

    // Assess
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.detail).toBe('拍摄时间在未来');
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'body.at', message: expect.stringContaining('晚 180 分钟，允许误差 5 分钟') })]);
  });

  it('refuses the same picture in another inspection, naming the inspection that used it', async () => {
    const bytes = picture();
    const first = await uploadPhoto(bytes);
    const used = await api.request<Recorded>('POST', '/v1/inspections', { token: inspector, body: inspectionBody(first.inspectionId, [first.evidenceId]) });
    expect(used.status, used.text).toBe(201);
    const again = await uploadPhoto(bytes);

    const refused = await api.request<Problem>('POST', '/v1/inspections', { token: inspector, body: inspectionBody(again.inspectionId, [again.evidenceId]) });

    expect(again.inspectionId).not.toBe(first.inspectionId);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.text).toContain(`already used by proof ${first.inspectionId}`);
    expect((await api.request('GET', `/v1/inspections/${again.inspectionId}`, { token: inspector })).status).toBe(404);
  });

  it("refuses a photo filed under another subject (a rectification order's), and photos without the inspection id", async () => {
    const raised = await api.request<Recorded>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }] },
    });
    expect(raised.status, raised.text).toBe(201);
    const order = raised.json.orders[0]!;
    const orderUpload = await api.request<{ evidenceId: string; key: string; url: string; fields: Record<string, string> }>('POST', `/v1/rectification-orders/${order.orderId}/uploads`, {
      token: contractorToken,
      body: { contentType: 'image/jpeg' },
    });
    expect(orderUpload.status, orderUpload.text).toBe(201);
    expect((await uploadWithPresignedPost(orderUpload.json.url, orderUpload.json.fields, picture(), 'image/jpeg')).status).toBeLessThan(300);
    await emulateObjectCreated([orderUpload.json.key]);
    const own = await uploadPhoto(picture());

    const refused = await api.request<Problem>('POST', '/v1/inspections', { token: inspector, body: inspectionBody(own.inspectionId, [own.evidenceId, orderUpload.json.evidenceId]) });
    const withoutId = await api.request<Problem>('POST', '/v1/inspections', {
      token: inspector,
      body: { ...inspectionBody(own.inspectionId, [own.evidenceId]), inspectionId: undefined },
    });

    expect(refused.status, refused.text).toBe(422);
    expect(refused.text).toContain(`photo ${orderUpload.json.evidenceId} was not uploaded for inspection ${own.inspectionId}`);
    expect(refused.text).not.toContain(`photo ${own.evidenceId} `);
    expect(withoutId.status, withoutId.text).toBe(400);
    expect(withoutId.json.errors?.map((error) => error.field)).toEqual(['body.inspectionId']);
  });

  it('loses a photo claimed between the check and the write with a conflict naming the holder, writing nothing', async () => {
    const first = await uploadPhoto(picture());
    const used = await api.request<Recorded>('POST', '/v1/inspections', { token: inspector, body: inspectionBody(first.inspectionId, [first.evidenceId]) });
    expect(used.status, used.text).toBe(201);
    const read = await new DynamoEvidenceStore(documentClient, tables.main).get(tenantId, first.inspectionId, first.evidenceId);
    const claims = await findPhotoClaims(documentClient, tables.main, tenantId, [read!.sha256!]);
    expect(claims.get(read!.sha256!)).toEqual({ proofId: first.inspectionId, subjectId: first.inspectionId });
    const store = new DynamoInspectionStore(documentClient, tables.main, new DynamoRectificationStore(documentClient, tables.main));
    // As if a concurrent recording had claimed the photo after this one's check: the store is the last word.
    const racing = { ...used.json.inspection, inspectionId: 'ins_01racer0000000000000000000', orderIds: [], lines: [] };

    const write = store.record(racing, [], [{ sha256: read!.sha256!, proofId: racing.inspectionId, subjectId: racing.inspectionId }]);

    await expect(write).rejects.toThrow(ConflictError);
    await expect(write).rejects.toThrow(`is already used by ${first.inspectionId}`);
    expect(await store.get(tenantId, racing.inspectionId)).toBeUndefined();
  });

  it('refuses uploads to contractors and for a recorded inspection', async () => {
    const recorded = await api.request<Recorded>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [] },
    });
    expect(recorded.status, recorded.text).toBe(201);
    const body = { segmentId, serviceType: 'cleaning', contentType: 'image/jpeg' };

    const byContractor = await api.request<Problem>('POST', '/v1/inspections/uploads', { token: contractorToken, body });
    const afterRecording = await api.request<Problem>('POST', '/v1/inspections/uploads', { token: inspector, body: { ...body, inspectionId: recorded.json.inspection.inspectionId } });

    expect(byContractor.status, byContractor.text).toBe(403);
    expect(afterRecording.status, afterRecording.text).toBe(409);
  });
});
