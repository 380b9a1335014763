import type { S3Event, S3EventRecord } from 'aws-lambda';
import { localRegion } from './credentials';

/**
 * S3 ObjectCreated notifications shaped as S3 delivers them (S3 User Guide, "Event message
 * structure", version 2.1), for the local stack and the tests that emulate events: the key
 * URL-encoded with spaces as `+`, the size and eTag of the stored object, a sequencer.
 */

export interface ObjectCreatedInput {
  readonly bucket: string;
  /** The key as stored (decoded); encoded here as S3 does. */
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  /** `ObjectCreated:Post` for a browser-form upload (the phone), `Put` for the SDK. */
  readonly eventName?: `ObjectCreated:${'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload'}`;
  readonly eventTime?: Date;
  /** Hex; only its order per key matters (S3 compares sequencers to order events of one key). */
  readonly sequencer?: string;
  readonly region?: string;
}

/** The key as S3 puts it in a notification: URL-encoded per segment, spaces as `+`. */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');
}

let sequence = 0;

/** One record as S3 sends it. */
export function objectCreatedRecord(input: ObjectCreatedInput): S3EventRecord {
  const eventTime = input.eventTime ?? new Date();
  sequence += 1;
  const sequencer = input.sequencer ?? (eventTime.getTime() * 1000 + (sequence % 1000)).toString(16).toUpperCase().padStart(16, '0');
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region ?? localRegion,
    eventTime: eventTime.toISOString(),
    eventName: input.eventName ?? 'ObjectCreated:Post',
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': `local/${sequencer}` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'proof-ingest',
      bucket: { name: input.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${input.bucket}` },
      object: {
        key: encodeEventKey(input.key),
        size: input.size,
        eTag: input.eTag.replaceAll('"', ''),
        ...(input.versionId === undefined ? {} : { versionId: input.versionId }),
        sequencer,
      },
    },
  };
}

/** A notification with these records (S3 sends one per event; tests may batch). */
export function s3Event(records: readonly S3EventRecord[]): S3Event {
  return { Records: [...records] };
}
