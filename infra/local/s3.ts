import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { localRegion } from './credentials';

/**
 * S3 for the local stack: s3rver on a loopback port it picks itself. s3rver checks no
 * signatures and no POST policies, so the policies the code generates are unit-tested
 * (DESIGN §5). It emits an S3 notification for every write; {@link LocalS3.onObjectCreated}
 * passes the ObjectCreated ones on, as S3 would to the proof-ingest Lambda.
 */

/** The slice of s3rver's API we use (the package ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
  on(event: 'error', listener: (error: unknown) => void): void;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  resetOnClose: boolean;
  allowMismatchedSignatures: boolean;
  vhostBuckets: boolean;
  configureBuckets: ReadonlyArray<{ name: string }>;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Receives an S3 notification (one record per event, as S3 sends them). */
export type ObjectCreatedListener = (event: S3Event) => void | Promise<void>;

export interface LocalS3Options {
  /** Folder for objects; absent = a fresh temporary folder, deleted on stop. */
  readonly directory?: string;
  /** Buckets to exist from the start (resources.ts also creates them through the API). */
  readonly buckets?: readonly string[];
  /** Region written into notifications (`awsRegion`). */
  readonly region?: string;
  /** Where a failing listener is reported; default console.error. */
  readonly onListenerError?: (error: unknown, event: S3Event) => void;
}

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /**
   * Calls `listener` after each object is created (PUT, POST upload, copy), asynchronously
   * like S3's own notifications. Returns a function that unsubscribes.
   */
  onObjectCreated(listener: ObjectCreatedListener): () => void;
  /** Resolves when every notification sent so far has been handled (for tests). */
  idle(): Promise<void>;
  /** Closes the server (and deletes a temporary folder). Idempotent. */
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 and a free port, silent. */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const temporary = options.directory === undefined;
  // A folder per stack: s3rver's default (os.tmpdir()/s3rver) would be shared by two stacks.
  const directory = temporary ? mkdtempSync(join(tmpdir(), 'xiuhua-s3-')) : resolve(options.directory!);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: false,
    allowMismatchedSignatures: false,
    // Path-style only: the SDK clients use forcePathStyle against a loopback endpoint.
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    if (temporary) rmSync(directory, { recursive: true, force: true });
    throw new Error('s3rver did not start on 127.0.0.1', { cause: error });
  }

  const listeners = new Set<ObjectCreatedListener>();
  const inFlight = new Set<Promise<void>>();
  const region = options.region ?? localRegion;
  const onListenerError =
    options.onListenerError ??
    ((error: unknown, event: S3Event): void => {
      console.error(`[xiuhua-local] an ObjectCreated listener failed for ${event.Records[0]?.s3.object.key ?? '?'}`, error);
    });
  server.on('event', (raw) => {
    for (const record of raw.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const event: S3Event = { Records: [asDelivered(record, region)] };
      for (const listener of listeners) {
        // S3 notifies after the upload has been answered, never inside the request.
        const delivery = new Promise<void>((resolveDelivery) => setImmediate(resolveDelivery))
          .then(() => listener(event))
          .catch((error: unknown) => onListenerError(error, event))
          .finally(() => inFlight.delete(delivery));
        inFlight.add(delivery);
      }
    }
  });

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    directory,
    onObjectCreated(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stop() {
      stopping ??= (async () => {
        listeners.clear();
        try {
          await server.close();
        } catch (error) {
          throw new Error('s3rver did not close', { cause: error });
        } finally {
          // s3rver may still be finishing a write's metadata file; retry rather than fail.
          if (temporary) rmSync(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
        }
      })();
      return stopping;
    },
  };
}

/**
 * The record as S3 itself delivers it: the object key URL-encoded with spaces as `+`
 * (s3rver passes it raw), and our region instead of s3rver's fixed us-east-1. Handlers
 * must decode the key, exactly as in AWS.
 */
function asDelivered(record: S3EventRecord, region: string): S3EventRecord {
  const key = record.s3.object.key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');
  return {
    ...record,
    awsRegion: region,
    s3: {
      ...record.s3,
      bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
      object: { ...record.s3.object, key },
    },
  };
}
