import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Evidence, EvidenceStore, IngestResult } from '../../../../domain/proofs/evidence';
import { evidenceIdOf } from '../../../../domain/proofs/evidence';
import type { IngestDeps } from '../../../../domain/proofs/ingest-use-case';
import { proofKey } from '../../../../domain/proofs/keys';
import { DynamoEvidenceStore } from '../../../../functions/adapters/dynamodb/evidence-store';
import { readExif } from '../../../../functions/adapters/s3/exif';
import { readImageHeader } from '../../../../functions/adapters/s3/image-header';
import { S3ProofObjectReader } from '../../../../functions/adapters/s3/proof-objects';
import { createIngestHandler, decodeS3Key, type IngestLog } from '../../../../functions/events/proof-ingest';
import { objectCreatedRecord, s3Event } from '../../../../infra/local/s3-events';
import { jpegWithExif, pngBytes } from '../../../helpers/photos';
import { contractId, contractorId, taskId } from '../../domain/proofs/fixtures';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

/**
 * The ingest handler over an in-memory evidence store with the DynamoDB store's conditional
 * semantics and a mocked S3 (aws-sdk-client-mock), so throttling, 5xx and bodies that break
 * midway can be injected. The local-stack run is test/integration/proof-ingest.test.ts.
 */

const s3Mock = mockClient(S3Client);
const dynamoMock = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  s3Mock.reset();
  dynamoMock.reset();
});
afterAll(() => {
  s3Mock.restore();
  dynamoMock.restore();
});

const tenantId = 'kangbashi';
const bucket = 'xiuhua-proofs-unit';

/** EvidenceStore with the adapter's conditions; `failNext` makes the next write throw (throttling). */
class MemoryEvidenceStore implements EvidenceStore {
  readonly items = new Map<string, Evidence>();
  writes = 0;
  failNext: Error | undefined;

  #id(tenant: string, subjectId: string, evidenceId: string): string {
    return `${tenant}/${subjectId}/${evidenceId}`;
  }
  #maybeFail(): void {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
  }
  async issue(evidence: Evidence): Promise<void> {
    this.items.set(this.#id(evidence.tenantId, evidence.subject.id, evidence.evidenceId), evidence);
  }
  async get(tenant: string, subjectId: string, evidenceId: string): Promise<Evidence | undefined> {
    return this.items.get(this.#id(tenant, subjectId, evidenceId));
  }
  async getMany(tenant: string, subjectId: string, ids: readonly string[]): Promise<readonly Evidence[]> {
    return ids.flatMap((id) => this.items.get(this.#id(tenant, subjectId, id)) ?? []);
  }
  async locate(tenant: string, ids: readonly string[]): Promise<readonly Evidence[]> {
    return [...this.items.values()].filter((item) => item.tenantId === tenant && ids.includes(item.evidenceId));
  }
  async listBySubject(tenant: string, subjectId: string): Promise<readonly Evidence[]> {
    return [...this.items.values()].filter((item) => item.tenantId === tenant && item.subject.id === subjectId);
  }
  async recordIngest(tenant: string, subjectId: string, evidenceId: string, result: IngestResult): Promise<'recorded' | 'already' | 'missing'> {
    this.#maybeFail();
    const id = this.#id(tenant, subjectId, evidenceId);
    const item = this.items.get(id);
    if (item === undefined) return 'missing';
    if (item.status !== 'awaiting_upload') return 'already';
    this.items.set(id, { ...item, ...result });
    this.writes += 1;
    return 'recorded';
  }
  async recordUnissued(evidence: Evidence): Promise<'recorded' | 'already'> {
    this.#maybeFail();
    const id = this.#id(evidence.tenantId, evidence.subject.id, evidence.evidenceId);
    if (this.items.has(id)) return 'already';
    this.items.set(id, evidence);
    this.writes += 1;
    return 'recorded';
  }
}

const uuids = ['3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b', '7c9e6679-7425-40de-944b-e07fc1f90ae7'] as const;
const keyOf = (uuid: string, contentType: 'image/jpeg' | 'image/png' = 'image/jpeg'): string =>
  proofKey({ tenantId, contractId, localDate: '2026-11-23', subjectId: taskId, uuid, contentType });

function issue(store: MemoryEvidenceStore, uuid: string, declared: 'image/jpeg' | 'image/png' = 'image/jpeg'): Evidence {
  const evidence: Evidence = {
    tenantId,
    evidenceId: evidenceIdOf(uuid),
    key: keyOf(uuid, declared),
    contractId,
    contractorId,
    subject: { kind: 'task', id: taskId },
    localDate: '2026-11-23',
    status: 'awaiting_upload',
    declaredContentType: declared,
    issuedAt: '2026-11-22T21:00:00.000Z',
    issuedBy: 'user-1',
  };
  void store.issue(evidence);
  return evidence;
}

/** A GetObject answer streaming `bytes` in 4 KiB chunks, optionally breaking after `breakAfter` bytes. */
function body(bytes: Buffer, breakAfter?: number): { Body: never; ContentLength: number; ETag: string } {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += 4096) {
      if (breakAfter !== undefined && at >= breakAfter) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      yield bytes.subarray(at, at + 4096);
    }
  }
  return { Body: Readable.from(chunks()) as never, ContentLength: bytes.length, ETag: '"etag-1"' };
}

const serverError = (): S3ServiceException =>
  new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'We encountered an internal error' });

const logged: { level: string; message: string; extra: unknown }[] = [];
const log: IngestLog = {
  info: ((message: string, extra: unknown) => logged.push({ level: 'info', message, extra })) as IngestLog['info'],
  warn: ((message: string, extra: unknown) => logged.push({ level: 'warn', message, extra })) as IngestLog['warn'],
  error: ((message: string, extra: unknown) => logged.push({ level: 'error', message, extra })) as IngestLog['error'],
};

function setup(): { store: MemoryEvidenceStore; run: ReturnType<typeof createIngestHandler> } {
  const store = new MemoryEvidenceStore();
  const deps: IngestDeps = {
    evidence: store,
    objects: new S3ProofObjectReader({ client: new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'u', secretAccessKey: 'u' } }), bucket, pauseMs: () => 0 }),
    readExif,
    readImageHeader,
    clock: { now: () => new Date('2026-11-22T21:13:05Z') },
    tenantZone: async () => 'Asia/Shanghai',
  };
  return { store, run: createIngestHandler(() => deps, log) };
}

const record = (key: string, size: number): ReturnType<typeof objectCreatedRecord> =>
  objectCreatedRecord({ bucket, key, size, eTag: 'etag-1', eventTime: new Date('2026-11-22T21:13:00Z') });

const photo = jpegWithExif({ capturedAt: '2026-11-23T05:12:00', lon: 109.785, lat: 39.6, padToBytes: 40_000 });
const sha256 = createHash('sha256').update(photo).digest('hex');

describe('proof ingest handler', () => {
  it('records a valid photo with its streamed sha-256, size, type and EXIF', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    s3Mock.on(GetObjectCommand).callsFake(() => body(photo));

    const summary = await run(s3Event([record(issued.key, photo.length)]));

    expect(summary.outcomes).toMatchObject([{ outcome: 'recorded', evidenceId: issued.evidenceId }]);
    expect(await store.get(tenantId, taskId, issued.evidenceId)).toEqual({
      ...issued,
      status: 'valid',
      detectedContentType: 'image/jpeg',
      sizeBytes: 40_000,
      sha256,
      uploadedAt: '2026-11-22T21:13:00.000Z',
      ingestedAt: '2026-11-22T21:13:05.000Z',
      eTag: 'etag-1',
      widthPx: 8,
      heightPx: 8,
      exif: { capturedAt: '2026-11-23T05:12:00+08:00', gps: { lon: expect.closeTo(109.785, 6), lat: expect.closeTo(39.6, 6) } },
    });
    expect(s3Mock.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: bucket, Key: issued.key });
  });

  it('reads the exact version the event names', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    s3Mock.on(GetObjectCommand).callsFake(() => ({ ...body(photo), VersionId: 'v-7' }));

    await run(s3Event([objectCreatedRecord({ bucket, key: issued.key, size: photo.length, eTag: 'e', versionId: 'v-7' })]));

    expect(s3Mock.commandCalls(GetObjectCommand)[0]!.args[0].input).toMatchObject({ VersionId: 'v-7' });
    expect((await store.get(tenantId, taskId, issued.evidenceId))?.objectVersionId).toBe('v-7');
  });

  it('turns duplicated and reordered events into exactly one write per photo', async () => {
    const { store, run } = setup();
    const first = issue(store, uuids[0]);
    const second = issue(store, uuids[1]);
    s3Mock.on(GetObjectCommand).callsFake(() => body(photo));
    const a = record(first.key, photo.length);
    const b = record(second.key, photo.length);

    const summary = await run(s3Event([b, a, b, a]));
    const again = await run(s3Event([a]));

    expect(summary.outcomes.map((outcome) => outcome.outcome)).toEqual(['recorded', 'recorded', 'already', 'already']);
    expect(again.outcomes.map((outcome) => outcome.outcome)).toEqual(['already']);
    expect(store.writes).toBe(2);
    // The repeats stop at the item's status, before reading the object again.
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('refuses a PNG declared as JPEG and leaves the object alone', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    const png = pngBytes(20_000);
    s3Mock.on(GetObjectCommand).callsFake(() => body(png));

    await run(s3Event([record(issued.key, png.length)]));

    expect(await store.get(tenantId, taskId, issued.evidenceId)).toMatchObject({
      status: 'refused',
      detectedContentType: 'image/png',
      sha256: createHash('sha256').update(png).digest('hex'),
      refusal: { code: 'type-mismatch', message: 'declared image/jpeg, but the bytes are image/png', zh: '声明为 image/jpeg，但实际内容为 image/png' },
    });
    expect(s3Mock.calls().every((call) => call.args[0] instanceof GetObjectCommand)).toBe(true);
  });

  it('records a layout key nobody issued as refused not-issued, once', async () => {
    const { store, run } = setup();
    const key = keyOf(uuids[1]);

    await run(s3Event([record(key, 50_000), record(key, 50_000)]));

    const items = await store.listBySubject(tenantId, taskId);
    expect(items).toEqual([
      expect.objectContaining({
        evidenceId: evidenceIdOf(uuids[1]),
        key,
        status: 'refused',
        contractorId: '',
        sizeBytes: 50_000,
        refusal: { code: 'not-issued', message: `no upload was issued for ${uuids[1]}.jpg of ${taskId}`, zh: `未为 ${taskId} 签发过 ${uuids[1]}.jpg 的上传` },
      }),
    ]);
    expect(store.writes).toBe(1);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('ignores a key outside the layout with a log line', async () => {
    const { store, run } = setup();
    logged.length = 0;

    const summary = await run(s3Event([record('exports/kangbashi/2026-11/statement.csv', 10), record('proofs/holiday photo.jpg', 10)]));

    expect(summary.outcomes).toEqual([
      { outcome: 'ignored', reason: 'the key is outside the proofs layout', key: 'exports/kangbashi/2026-11/statement.csv' },
      { outcome: 'ignored', reason: 'the key is outside the proofs layout', key: 'proofs/holiday photo.jpg' },
    ]);
    expect(logged.filter((line) => line.message === 'object ignored by proof ingest')).toHaveLength(2);
    expect(store.items.size).toBe(0);
  });

  it('reads again from the start when the body breaks midway, hashing only the full read', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    s3Mock.on(GetObjectCommand).callsFakeOnce(() => body(photo, 16_384)).callsFake(() => body(photo));

    await run(s3Event([record(issued.key, photo.length)]));

    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(await store.get(tenantId, taskId, issued.evidenceId)).toMatchObject({ status: 'valid', sha256, sizeBytes: 40_000 });
  });

  it('fails the invocation for a record S3 keeps failing, after recording the others, and the retry records it once', async () => {
    const { store, run } = setup();
    const failing = issue(store, uuids[0]);
    const fine = issue(store, uuids[1]);
    s3Mock.on(GetObjectCommand, { Key: failing.key }).rejects(serverError()).on(GetObjectCommand, { Key: fine.key }).callsFake(() => body(photo));
    const event = s3Event([record(failing.key, photo.length), record(fine.key, photo.length)]);

    await expect(run(event)).rejects.toThrow(`proof ingest failed for 1 of 2 objects: ${failing.key}`);
    expect((await store.get(tenantId, taskId, failing.evidenceId))?.status).toBe('awaiting_upload');
    expect((await store.get(tenantId, taskId, fine.evidenceId))?.status).toBe('valid');

    s3Mock.reset();
    s3Mock.on(GetObjectCommand).callsFake(() => body(photo));
    const retried = await run(event);

    expect(retried.outcomes.map((outcome) => outcome.outcome)).toEqual(['recorded', 'already']);
    expect(store.writes).toBe(2);
  });

  it('fails on DynamoDB throttling without a write, and the retry writes once', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    s3Mock.on(GetObjectCommand).callsFake(() => body(photo));
    store.failNext = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
    const event = s3Event([record(issued.key, photo.length)]);

    await expect(run(event)).rejects.toThrow(/proof ingest failed for 1 of 1 objects/);
    await run(event);
    await run(event);

    expect(store.writes).toBe(1);
    expect((await store.get(tenantId, taskId, issued.evidenceId))?.status).toBe('valid');
  });

  it('refuses an object that is gone as unreadable instead of retrying for ever', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));

    await run(s3Event([record(issued.key, photo.length)]));

    expect((await store.get(tenantId, taskId, issued.evidenceId))?.refusal).toEqual({
      code: 'unreadable',
      message: `the object could not be read to its end: NoSuchKey for ${issued.key}`,
      zh: `无法读完该文件：NoSuchKey for ${issued.key}`,
    });
  });

  it('ignores an object under the issued UUID with another extension (it would take the real slot)', async () => {
    const { store, run } = setup();
    const issued = issue(store, uuids[0]);
    const other = keyOf(uuids[0], 'image/png');

    const summary = await run(s3Event([record(other, 20_000)]));

    expect(summary.outcomes[0]).toMatchObject({ outcome: 'ignored', reason: `the issued key for ${issued.evidenceId} is ${issued.key}` });
    expect((await store.get(tenantId, taskId, issued.evidenceId))?.status).toBe('awaiting_upload');
  });
});

describe('proof ingest handler on the DynamoDB store (faults from both SDKs)', () => {
  it('survives a 500 from S3 and throttling from DynamoDB: the retry writes the item once, a later repeat not at all', async () => {
    // Prepare: the real adapter on a mocked document client, holding one awaiting item.
    const store = new MemoryEvidenceStore();
    const issued = issue(store, uuids[0]);
    let item: Record<string, unknown> = { ...issued };
    let updates = 0;
    dynamoMock.on(GetCommand).callsFake(() => ({ Item: item }));
    // The ingest result's Update and its audit entry's Put are one transaction (issue 8).
    dynamoMock
      .on(TransactWriteCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
      .callsFake(() => {
        updates += 1;
        item = { ...item, status: 'valid' };
        return {};
      });
    s3Mock.on(GetObjectCommand).rejectsOnce(serverError()).rejectsOnce(serverError()).rejectsOnce(serverError()).callsFake(() => body(photo));
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'u', secretAccessKey: 'u' } }));
    const run = createIngestHandler(
      () => ({
        evidence: new DynamoEvidenceStore(dynamo, 'main'),
        objects: new S3ProofObjectReader({ client: new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'u', secretAccessKey: 'u' } }), bucket, pauseMs: () => 0 }),
        readExif,
        readImageHeader,
        clock: { now: () => new Date('2026-11-22T21:13:05Z') },
      }),
      log,
    );
    const event = s3Event([record(issued.key, photo.length)]);

    // Act: S3 fails all three reads of the first delivery; DynamoDB throttles the second's write.
    await expect(run(event)).rejects.toThrow(/failed for 1 of 1/);
    await expect(run(event)).rejects.toThrow(/failed for 1 of 1/);
    const third = await run(event);
    const fourth = await run(event);

    // Assess
    expect([third.outcomes[0]?.outcome, fourth.outcomes[0]?.outcome]).toEqual(['recorded', 'already']);
    expect(updates).toBe(1);
    const writes = dynamoMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.map((write) => (write.Update === undefined ? write.Put?.Item?.['entity'] : 'update'))).toEqual(['update', 'Evidence', 'EvidenceLocator']);
    expect(writes[1]?.[1]?.Put?.Item).toMatchObject({ actor: { system: 'proof-ingest' }, action: 'proofIngest', status: 'valid' });
  });
});

describe('decodeS3Key', () => {
  it('decodes as S3 encodes: percent escapes, and + for a space', () => {
    expect(decodeS3Key('proofs/a+b/%E7%85%A7%E7%89%87%2B1.jpg')).toBe('proofs/a b/照片+1.jpg');
  });
});

describe('readExif on the generated test photos', () => {
  it('reads back the capture time, its offset and the GPS position as raw values', async () => {
    const bytes = jpegWithExif({ capturedAt: '2026-11-23T05:12:00+08:00', lon: -0.1276, lat: 51.5072 });

    const raw = await readExif(bytes);

    expect(raw).toMatchObject({ DateTimeOriginal: '2026:11:23 05:12:00', OffsetTimeOriginal: '+08:00', GPSLatitudeRef: 'N', GPSLongitudeRef: 'W' });
    expect((raw?.GPSLongitude as number[])[0]).toBe(0);
    expect(bytes.length).toBe(12 * 1024);
  });

  it('gives nothing for a PNG or for bytes exifr cannot place', async () => {
    expect(await readExif(pngBytes())).toBeUndefined();
    expect(await readExif(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });
});
