import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3EventRecord } from 'aws-lambda';
import type { IngestSummary } from '../../functions/events/proof-ingest';
import { objectCreatedRecord, s3Event, type ObjectCreatedInput } from '../../infra/local/s3-events';
import { localS3, localStack } from './local-stack';

/**
 * S3 for integration tests. The run's s3rver lives in the globalSetup process, so its own
 * notifications never reach a test worker; tests emulate them here instead: HEAD the stored
 * object on s3rver (size, eTag, version as S3 would report them) and invoke the proof-ingest
 * handler module in this process with an S3Event shaped like AWS's (infra/local/s3-events.ts).
 *
 *   const { url, fields } = (await api.request('POST', `/v1/tasks/${taskId}/uploads`, …)).json;
 *   expect((await uploadWithPresignedPost(url, fields, jpegWithExif({ … }), 'image/jpeg')).status).toBe(204);
 *   await emulateObjectCreated([fields.key]);
 */

export interface EmulatedObject {
  readonly key: string;
  /** Default `ObjectCreated:Post` (the phone's form upload). */
  readonly eventName?: ObjectCreatedInput['eventName'];
}

export interface EmulateOptions {
  /** Deliver every event twice (S3 delivers at least once). */
  readonly duplicate?: boolean;
  /** Deliver in reverse order (S3 does not order events). */
  readonly reverse?: boolean;
  /** Deliver all events at once instead of one after the other, so duplicates race. */
  readonly concurrent?: boolean;
  /** Default: the run's proofs bucket. */
  readonly bucket?: string;
}

/**
 * Runs the ingest handler for these objects, one event per record as S3 sends them, and
 * resolves with every record's outcome once all are handled. Rejects when an invocation
 * fails (Lambda would retry it), after the others have run.
 */
export async function emulateObjectCreated(objects: readonly (string | EmulatedObject)[], options: EmulateOptions = {}): Promise<IngestSummary['outcomes']> {
  const stack = localStack();
  const bucket = options.bucket ?? stack.buckets.proofs;
  const records: S3EventRecord[] = [];
  for (const object of objects) {
    const { key, eventName } = typeof object === 'string' ? { key: object, eventName: undefined } : object;
    const head = await localS3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    records.push(
      objectCreatedRecord({
        bucket,
        key,
        size: head.ContentLength ?? 0,
        eTag: head.ETag ?? '',
        ...(head.VersionId === undefined || head.VersionId === 'null' ? {} : { versionId: head.VersionId }),
        ...(eventName === undefined ? {} : { eventName }),
        region: stack.region,
        eventTime: head.LastModified ?? new Date(),
      }),
    );
  }
  let deliveries = options.duplicate === true ? records.flatMap((record) => [record, record]) : records;
  if (options.reverse === true) deliveries = [...deliveries].reverse();
  const { handler } = await import('../../functions/events/proof-ingest');
  const invoke = (record: S3EventRecord): Promise<IngestSummary> => handler(s3Event([record]));
  const settled = options.concurrent === true
    ? await Promise.allSettled(deliveries.map(invoke))
    : await deliveries.reduce<Promise<PromiseSettledResult<IngestSummary>[]>>(
        async (done, record) => [...(await done), ...(await Promise.allSettled([invoke(record)]))],
        Promise.resolve([]),
      );
  const failed = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed.length > 0) throw new AggregateError(failed.map((result) => result.reason), `${failed.length} emulated S3 events failed`);
  return settled.flatMap((result) => (result.status === 'fulfilled' ? result.value.outcomes : []));
}

/**
 * Posts `bytes` through a presigned POST form as a browser would: every field as given, the
 * file last (S3 ignores fields after it), with fetch and FormData. s3rver enforces none of
 * the policy (its conditions are unit-tested), but stores the object and answers like S3.
 */
export async function uploadWithPresignedPost(
  url: string,
  fields: Readonly<Record<string, string>>,
  bytes: Uint8Array,
  contentType: string,
): Promise<{ readonly status: number; readonly text: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo');
  const response = await fetch(url, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}
