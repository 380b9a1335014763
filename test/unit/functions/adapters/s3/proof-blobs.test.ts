import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadPolicy } from '../../../../../domain/proofs/upload-policy';
import { encodeTaskId } from '../../../../../domain/schedule/task-id';
import { S3ProofBlobStore } from '../../../../../functions/adapters/s3/proof-blobs';

// s3rver accepts any POST, so what S3 would enforce is only visible in the signed policy document.
const contractId = 'con_01jd8k2m3n4p5q6r7s8t';
const taskId = encodeTaskId({ contractId, segmentId: 'seg_abcdefghijklmnop', activity: 'sweep', windowStartMs: Date.UTC(2026, 10, 22, 20, 30) });
const client = new S3Client({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const store = new S3ProofBlobStore({ client, bucket: 'xiuhua-proofs-test', now: () => new Date('2026-11-22T21:00:00Z') });
const policy = uploadPolicy({
  tenantId: 'kangbashi',
  contractId,
  subjectId: taskId,
  localDate: '2026-11-23',
  contentType: 'image/jpeg',
  uuid: '3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b',
  now: new Date('2026-11-22T21:00:00Z'),
});

describe('S3ProofBlobStore.presignUpload', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T21:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs a policy holding exactly the key, the size range, the type and a 15-minute expiry', async () => {
    const { url, fields } = await store.presignUpload(policy);

    const document = JSON.parse(Buffer.from(fields['Policy']!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(document.expiration).toBe('2026-11-22T21:15:00Z');
    expect(document.conditions).toEqual([
      ['eq', '$key', policy.key],
      ['content-length-range', 10_240, 15_728_640],
      ['eq', '$Content-Type', 'image/jpeg'],
      { 'Content-Type': 'image/jpeg' },
      { bucket: 'xiuhua-proofs-test' },
      { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
      { 'X-Amz-Credential': 'AKIDEXAMPLE/20261122/cn-north-1/s3/aws4_request' },
      { 'X-Amz-Date': '20261122T210000Z' },
      { key: policy.key },
    ]);
    expect(url).toBe('https://xiuhua-proofs-test.s3.cn-north-1.amazonaws.com.cn/');
  });

  it('returns every form field the phone must send, the key and type among them', async () => {
    const { fields } = await store.presignUpload(policy);

    expect(fields).toEqual({
      key: policy.key,
      'Content-Type': 'image/jpeg',
      bucket: 'xiuhua-proofs-test',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261122/cn-north-1/s3/aws4_request',
      'X-Amz-Date': '20261122T210000Z',
      Policy: expect.any(String),
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});

describe('S3ProofBlobStore.presignDownload', () => {
  it('signs a GET of the exact version ingest read, expiring when asked', async () => {
    const { url, expiresAt } = await store.presignDownload(policy.key, { versionId: 'v-3', expiresInSeconds: 300 });

    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/${policy.key}`);
    expect(parsed.searchParams.get('versionId')).toBe('v-3');
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresAt).toEqual(new Date('2026-11-22T21:05:00Z'));
  });

  it('leaves the version out when ingest knew none', async () => {
    const { url } = await store.presignDownload(policy.key, { expiresInSeconds: 60 });

    expect(new URL(url).searchParams.has('versionId')).toBe(false);
  });
});
