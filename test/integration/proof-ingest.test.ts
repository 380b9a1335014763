import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { evidenceIdOf, type Evidence } from '../../domain/proofs/evidence';
import { uploadPolicy } from '../../domain/proofs/upload-policy';
import { issueUpload as issueSlot } from '../../domain/proofs/use-cases';
import { proofDeps } from '../../functions/http/proofs/deps';
import { runWithRequestIds } from '../../functions/shared/request-ids';
import { encodeTaskId } from '../../domain/schedule/task-id';
import { DynamoEvidenceStore } from '../../functions/adapters/dynamodb/evidence-store';
import { S3ProofBlobStore } from '../../functions/adapters/s3/proof-blobs';
import { documentClient } from '../../functions/shared/clients';
import { uniqueTenantId } from '../helpers/api';
import { localS3, localStack } from '../helpers/local-stack';
import { jpegWithExif, pngBytes } from '../helpers/photos';
import { emulateObjectCreated, uploadWithPresignedPost } from '../helpers/s3-events';

/**
 * Proof photo ingest on the local stack (issue 5, "Ingest"): an upload slot issued as the
 * upload route issues it (evidence store + presigned POST), real bytes posted through the
 * form to s3rver with fetch, then the S3 event emulated into the very handler module Lambda
 * runs; the evidence item in DynamoDB Local is what is checked.
 */

const tenantId = uniqueTenantId('ingest');
const contractId = 'con_01jd8k2m3n4p5q6r7s8t9v0w1x';
const taskId = encodeTaskId({ contractId, segmentId: 'seg_abcdefghijklmnop', activity: 'sweep', windowStartMs: Date.parse('2026-11-22T20:30:00Z') });
let store: DynamoEvidenceStore;
let blobs: S3ProofBlobStore;
let bucket: string;

beforeAll(() => {
  const stack = localStack();
  bucket = stack.buckets.proofs;
  store = new DynamoEvidenceStore(documentClient(), stack.tables.main);
  blobs = new S3ProofBlobStore();
});

/** An upload slot as POST /v1/tasks/{taskId}/uploads issues one: the awaiting item and the signed form. */
async function issueUpload(contentType = 'image/jpeg'): Promise<{ evidence: Evidence; url: string; fields: Readonly<Record<string, string>> }> {
  const uuid = randomUUID();
  const now = new Date();
  const policy = uploadPolicy({ tenantId, contractId, subjectId: taskId, localDate: '2026-11-23', contentType, uuid, now });
  const evidence: Evidence = {
    tenantId,
    evidenceId: evidenceIdOf(uuid),
    key: policy.key,
    contractId,
    contractorId: 'ctr_abcdefghijklmnop',
    subject: { kind: 'task', id: taskId },
    localDate: '2026-11-23',
    status: 'awaiting_upload',
    declaredContentType: contentType,
    issuedAt: now.toISOString(),
    issuedBy: 'crew-1',
  };
  await store.issue(evidence);
  return { evidence, ...(await blobs.presignUpload(policy)) };
}

async function itemOf(evidence: Evidence): Promise<Evidence | undefined> {
  return store.get(tenantId, taskId, evidence.evidenceId);
}

describe('proof ingest on the local stack', () => {
  it('records a photo posted through the presigned form: sha-256, size, type, EXIF time and GPS', async () => {
    const { evidence, url, fields } = await issueUpload();
    const photo = jpegWithExif({ capturedAt: '2026-11-23T05:12:00', lon: 109.785, lat: 39.6, padToBytes: 48_000 });

    const upload = await uploadWithPresignedPost(url, fields, photo, 'image/jpeg');
    const outcomes = await emulateObjectCreated([evidence.key]);

    expect(upload.status).toBeGreaterThanOrEqual(200);
    expect(upload.status).toBeLessThan(300);
    expect(outcomes).toMatchObject([{ outcome: 'recorded', evidenceId: evidence.evidenceId }]);
    const item = await itemOf(evidence);
    expect(item).toMatchObject({
      status: 'valid',
      detectedContentType: 'image/jpeg',
      sizeBytes: 48_000,
      sha256: createHash('sha256').update(photo).digest('hex'),
      exif: { capturedAt: '2026-11-23T05:12:00+08:00' },
    });
    expect(item?.exif?.gps?.lon).toBeCloseTo(109.785, 5);
    expect(item?.exif?.gps?.lat).toBeCloseTo(39.6, 5);
    expect(item).not.toHaveProperty('expiresAt');
  });

  it('turns duplicated, reversed and racing events into one evidence item each', async () => {
    const first = await issueUpload();
    const second = await issueUpload();
    const photoA = jpegWithExif({ capturedAt: '2026-11-23T05:20:00', padToBytes: 20_000 });
    const photoB = jpegWithExif({ capturedAt: '2026-11-23T05:21:00', padToBytes: 21_000 });
    await uploadWithPresignedPost(first.url, first.fields, photoA, 'image/jpeg');
    await uploadWithPresignedPost(second.url, second.fields, photoB, 'image/jpeg');

    const sequential = await emulateObjectCreated([first.evidence.key, second.evidence.key], { duplicate: true, reverse: true });
    const racing = await emulateObjectCreated([first.evidence.key], { duplicate: true, concurrent: true });

    expect(sequential.map((outcome) => outcome.outcome)).toEqual(['recorded', 'already', 'recorded', 'already']);
    expect(racing.map((outcome) => outcome.outcome)).toEqual(['already', 'already']);
    const items = (await store.listBySubject(tenantId, taskId)).filter((item) => [first.evidence.evidenceId, second.evidence.evidenceId].includes(item.evidenceId));
    expect(items).toHaveLength(2);
    expect(items.map((item) => item.sizeBytes).sort()).toEqual([20_000, 21_000]);
  });

  it('lets exactly one of two racing first deliveries record the photo', async () => {
    const { evidence, url, fields } = await issueUpload();
    await uploadWithPresignedPost(url, fields, jpegWithExif({ padToBytes: 30_000 }), 'image/jpeg');

    const outcomes = await emulateObjectCreated([evidence.key], { duplicate: true, concurrent: true });

    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['already', 'recorded']);
    expect((await itemOf(evidence))?.status).toBe('valid');
  });

  it('refuses a PNG declared as JPEG as type-mismatch, and the object stays in S3', async () => {
    const { evidence, url, fields } = await issueUpload('image/jpeg');
    const png = pngBytes(25_000);

    await uploadWithPresignedPost(url, fields, png, 'image/jpeg');
    await emulateObjectCreated([evidence.key]);

    expect(await itemOf(evidence)).toMatchObject({
      status: 'refused',
      detectedContentType: 'image/png',
      sizeBytes: 25_000,
      refusal: { code: 'type-mismatch', message: 'declared image/jpeg, but the bytes are image/png', zh: '声明为 image/jpeg，但实际内容为 image/png' },
    });
    const stored = await localS3().send(new GetObjectCommand({ Bucket: bucket, Key: evidence.key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(png)).toBe(true);
  });

  it('refuses a photo under 10 KiB with the numbers (s3rver does not enforce the policy)', async () => {
    const { evidence, url, fields } = await issueUpload();

    await uploadWithPresignedPost(url, fields, jpegWithExif({ padToBytes: 4_000 }), 'image/jpeg');
    await emulateObjectCreated([evidence.key]);

    expect((await itemOf(evidence))?.refusal).toMatchObject({ code: 'too-small', message: 'the photo is 3.9 KB (4 000 bytes), at least 10 KB: a thumbnail, an empty or a truncated file' });
  });

  it('ignores an object outside the proofs layout', async () => {
    const key = `proofs/${tenantId}/holiday photo.jpg`;
    await localS3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: jpegWithExif(), ContentType: 'image/jpeg' }));

    const outcomes = await emulateObjectCreated([{ key, eventName: 'ObjectCreated:Put' }]);

    expect(outcomes).toEqual([{ outcome: 'ignored', reason: 'the key is outside the proofs layout', key }]);
  });

  it('records a layout key nobody issued as refused not-issued, once', async () => {
    const uuid = randomUUID();
    const key = uploadPolicy({ tenantId, contractId, subjectId: taskId, localDate: '2026-11-23', contentType: 'image/jpeg', uuid, now: new Date() }).key;
    await localS3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: jpegWithExif(), ContentType: 'image/jpeg' }));

    const outcomes = await emulateObjectCreated([{ key, eventName: 'ObjectCreated:Put' }], { duplicate: true });

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['recorded', 'already']);
    expect(await store.get(tenantId, taskId, evidenceIdOf(uuid))).toMatchObject({
      key,
      status: 'refused',
      contractorId: '',
      refusal: { code: 'not-issued', message: `no upload was issued for ${uuid}.jpg of ${taskId}`, zh: `未为 ${taskId} 签发过 ${uuid}.jpg 的上传` },
    });
  });
});

describe('S3 event emulation of npm start (infra/local/object-events.ts)', () => {
  it('hands each form upload under proofs/ to the ingest entry as S3 would: ObjectCreated:Post, encoded key, size, eTag', async () => {
    // Prepare: an s3rver of this test's own, in this process, so its notifications reach us.
    const { startLocalS3 } = await import('../../infra/local/s3');
    const { startObjectEventHandlers } = await import('../../infra/local/object-events');
    const { objectCreatedHandlers } = await import('../../functions/events/manifest');
    const { localS3Client } = await import('../../infra/local/aws');
    const s3 = await startLocalS3({ buckets: [bucket] });
    const received: import('aws-lambda').S3Event[] = [];
    const entries: string[] = [];
    const stop = startObjectEventHandlers(s3, {
      load: (manifest) => () => {
        entries.push(manifest.entry);
        return Promise.resolve(async (event) => {
          received.push(event);
        });
      },
    });
    const client = localS3Client(s3.endpoint);
    const blobsHere = new S3ProofBlobStore({ client, bucket });
    const uuid = randomUUID();
    const policy = uploadPolicy({ tenantId, contractId, subjectId: taskId, localDate: '2026-11-23', contentType: 'image/jpeg', uuid, now: new Date() });
    const photo = jpegWithExif({ padToBytes: 15_000 });
    try {
      // Act
      const { url, fields } = await blobsHere.presignUpload(policy);
      await uploadWithPresignedPost(url, fields, photo, 'image/jpeg');
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'exports/elsewhere.csv', Body: 'a,b' }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'proofs/a b.jpg', Body: 'x' }));
      await s3.idle();

      // Assess: the export is filtered out by the manifest prefix; the rest arrive encoded.
      expect(entries.every((entry) => entry === objectCreatedHandlers[0]!.entry)).toBe(true);
      const records = received.flatMap((event) => event.Records);
      expect(records.map((record) => record.s3.object.key).sort()).toEqual([policy.key, 'proofs/a+b.jpg'].sort());
      const posted = records.find((record) => record.s3.object.key === policy.key)!;
      expect(posted.eventName).toBe('ObjectCreated:Post');
      expect(posted.s3.object.size).toBe(15_000);
      expect(posted.s3.object.eTag).toBe(createHash('md5').update(photo).digest('hex'));
      expect(posted.s3.bucket.name).toBe(bucket);
    } finally {
      stop();
      client.destroy();
      await s3.stop();
    }
  });
});

describe('proof ingest reads the whole photo (issue 13: evidence was valid on its first three bytes)', () => {
  /** Uploads `bytes` to a new JPEG slot and ingests it; the item as recorded. */
  async function ingest(bytes: Buffer, contentType = 'image/jpeg'): Promise<Evidence | undefined> {
    const { evidence, url, fields } = await issueUpload(contentType);
    await uploadWithPresignedPost(url, fields, bytes, contentType);
    await emulateObjectCreated([evidence.key]);
    return itemOf(evidence);
  }

  it('records the decoded dimensions of a whole JPEG', async () => {
    // Act
    const item = await ingest(jpegWithExif({ padToBytes: 24_000 }));

    // Assess
    expect(item).toMatchObject({ status: 'valid', widthPx: 8, heightPx: 8 });
  });

  it('refuses a truncated JPEG as malformed, saying where it ends', async () => {
    // Prepare: a whole photo cut short before its image data and end-of-image marker
    const whole = jpegWithExif({ padToBytes: 30_000 });

    // Act
    const item = await ingest(whole.subarray(0, 20_000));

    // Assess
    expect(item?.status).toBe('refused');
    expect(item?.refusal?.code).toBe('malformed');
    expect(item?.refusal?.message).toContain('the file ends after 20 000 bytes');
    expect(item?.refusal?.message).toContain('FF D9');
    expect(item?.refusal?.zh).toContain('20 000');
  });

  it('refuses 20 KB of A after FF D8 FF as malformed', async () => {
    // Act
    const item = await ingest(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(20_000, 0x41)]));

    // Assess
    expect(item?.refusal).toMatchObject({ code: 'malformed', message: 'FF 41 at byte 2 is no JPEG marker segment' });
  });

  it('refuses a JPEG/HTML polyglot, markup in a comment segment or after the end of the image', async () => {
    // Prepare
    const photo = jpegWithExif({ padToBytes: 24_000 });
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>', 'latin1');
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), html]);
    comment.writeUInt16BE(html.length + 2, 2);

    // Act
    const inComment = await ingest(Buffer.concat([photo.subarray(0, 2), comment, photo.subarray(2)]));
    const appended = await ingest(Buffer.concat([photo, Buffer.from('<html><script>alert(1)</script></html>', 'latin1')]));

    // Assess
    expect(inComment?.refusal).toMatchObject({ code: 'markup' });
    expect(inComment?.refusal?.message).toContain("'<!doctype' at byte 6");
    expect(appended?.refusal).toMatchObject({ code: 'markup' });
  });

  it('refuses a PNG cut short before IEND, and one with bytes after it', async () => {
    // Act
    const cut = await ingest(pngBytes(25_000).subarray(0, 20_000), 'image/png');
    const trailing = await ingest(Buffer.concat([pngBytes(25_000), Buffer.from('<html>', 'latin1')]), 'image/png');

    // Assess
    expect(cut?.refusal?.code).toBe('malformed');
    expect(cut?.refusal?.message).toContain('without the IEND chunk');
    expect(trailing?.refusal).toMatchObject({ code: 'malformed', message: "6 bytes follow the PNG's IEND chunk" });
  });

  it('says why a photo was refused for its size, in MB and bytes', async () => {
    // Act: s3rver does not enforce the policy's content-length-range, so ingest sees the size
    const item = await ingest(jpegWithExif({ padToBytes: 5_000 }));

    // Assess
    expect(item?.refusal).toMatchObject({ code: 'too-small', message: 'the photo is 4.8 KB (5 000 bytes), at least 10 KB: a thumbnail, an empty or a truncated file' });
  });
});

describe('upload slots of a retried request (issue 13)', () => {
  it('draws the slot id from the request, so a retry after a lost answer answers the same slot and leaves none unused', async () => {
    // Prepare: the route's own deps (the uuid it draws), a crew actor, and one request's seed as the idempotency layer gives it
    const deps = { ...proofDeps(), evidence: store, blobs };
    const crew = { userId: 'crew-retry', tenantId, roles: ['contractor'] as const, contractorId: 'ctr_abcdefghijklmnop' };
    const subject = { kind: 'task' as const, id: taskId, contractId, contractorId: crew.contractorId, localDate: '2026-11-23' };
    const seed = { startedAtMs: Date.now(), scope: `slot-${randomUUID()}` };
    const before = (await store.listBySubject(tenantId, taskId)).length;

    // Act: the first attempt, its retry (same Idempotency-Key: same seed), and another request
    const first = await runWithRequestIds(seed, () => issueSlot(deps, crew, subject, 'image/jpeg'));
    const retry = await runWithRequestIds(seed, () => issueSlot(deps, crew, subject, 'image/jpeg'));
    const other = await runWithRequestIds({ startedAtMs: Date.now(), scope: `slot-${randomUUID()}` }, () => issueSlot(deps, crew, subject, 'image/jpeg'));

    // Assess
    expect(retry.evidenceId).toBe(first.evidenceId);
    expect(retry.key).toBe(first.key);
    expect(other.evidenceId).not.toBe(first.evidenceId);
    expect((await store.listBySubject(tenantId, taskId)).length).toBe(before + 2);
  });
});
