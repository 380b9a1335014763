import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { S3Event } from 'aws-lambda';
import { objectCreatedHandlers, type ObjectCreatedHandlerManifest } from '../../functions/events/manifest';
import { exportsBucket, proofsBucket } from '../definitions';
import { localBucketName } from './resources';
import type { LocalS3 } from './s3';

/** The repository root, which manifest entries are relative to. */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The local stack's stand-in for S3 bucket notifications (DESIGN §5 "S3 event emulation"):
 * every ObjectCreated that s3rver reports (infra/local/s3.ts, records already shaped as S3
 * delivers them) goes to each handler of functions/events/manifest.ts whose bucket and
 * prefix match, imported from its entry — the module Lambda runs. As in AWS, a failed
 * invocation is retried (twice, the manifest's `retryAttempts`), then reported.
 */

export interface ObjectEventOptions {
  readonly handlers?: readonly ObjectCreatedHandlerManifest[];
  /** Where lines go; console.error by default. */
  readonly print?: (line: string) => void;
  /** Pause between retries; Lambda waits about a minute, the local stack a second. */
  readonly retryPauseMs?: number;
  /** How a manifest entry becomes a handler; default: import its entry (tests pass a recorder). */
  readonly load?: (manifest: ObjectCreatedHandlerManifest) => () => Promise<Handler>;
  /**
   * How each notification is delivered: one delivery per entry, each after its delay (S3 is
   * at least once and unordered; the fault suite, test/faults, delivers every event twice,
   * delayed at random so deliveries of neighbouring uploads overtake each other). Default: once,
   * at once — what `npm start` does.
   */
  readonly deliveries?: (event: S3Event) => readonly { readonly delayMs: number }[];
}

export type Handler = (event: S3Event) => Promise<unknown>;

const bucketNames: Readonly<Record<ObjectCreatedHandlerManifest['bucket'], string>> = { proofs: localBucketName(proofsBucket), exports: localBucketName(exportsBucket) };

/** Loads a manifest entry's handler once. */
function loader(manifest: ObjectCreatedHandlerManifest): () => Promise<Handler> {
  let loading: Promise<Handler> | undefined;
  return () => {
    loading ??= import(pathToFileURL(join(projectRoot, manifest.entry)).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${manifest.entry} exports no handler`);
      return module.handler as Handler;
    });
    return loading;
  };
}

/** Subscribes every ObjectCreated handler to s3rver's notifications; returns the unsubscribe. */
export function startObjectEventHandlers(s3: Pick<LocalS3, 'onObjectCreated'>, options: ObjectEventOptions = {}): () => void {
  const print = options.print ?? ((line: string) => console.error(line));
  const unsubscribes = (options.handlers ?? objectCreatedHandlers).map((manifest) => {
    const handler = (options.load ?? loader)(manifest);
    return s3.onObjectCreated(async (event) => {
      const records = event.Records.filter(
        (record) => record.s3.bucket.name === bucketNames[manifest.bucket] && decodeURIComponent(record.s3.object.key.replaceAll('+', ' ')).startsWith(manifest.prefix),
      );
      if (records.length === 0) return;
      const deliver = async (): Promise<void> => {
        for (let attempt = 0; ; attempt += 1) {
          try {
            await (await handler())({ Records: records });
            return;
          } catch (error) {
            if (attempt >= manifest.retryAttempts) {
              print(`[${manifest.name}] failed after ${attempt + 1} attempts: ${error instanceof Error ? error.message : String(error)}`);
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, options.retryPauseMs ?? 1000));
          }
        }
      };
      const deliveries = options.deliveries?.({ Records: records }) ?? [{ delayMs: 0 }];
      await Promise.all(
        deliveries.map(async ({ delayMs }) => {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          await deliver();
        }),
      );
    });
  });
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
