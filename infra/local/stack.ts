import { closeSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditTable, exportsBucket, idempotencyTable, mainTable, proofsBucket } from '../definitions';
import { localRegion } from './credentials';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { isAlive } from './processes';
import type { TableOutcome } from './resources';
import type { LocalS3 } from './s3';

/**
 * The storage half of the local stack — DynamoDB Local, s3rver, tables and buckets — used
 * by `npm start` (start.ts) and by the integration tests' global setup alike, so both run
 * the same thing.
 */

export interface LocalStackOptions {
  /**
   * Keep data in this folder (DynamoDB file under `dynamodb/`, objects under `s3/`);
   * absent = in memory and a temporary folder, both gone on stop.
   */
  readonly dataDir?: string;
  /** Every line DynamoDB Local prints (for `--verbose`). */
  readonly onJavaOutput?: (line: string) => void;
}

export interface LocalStack {
  readonly dynamodb: DynamoDbLocal;
  readonly s3: LocalS3;
  /** Table and bucket names, as the handlers see them through the environment. */
  readonly tables: { readonly main: string; readonly idempotency: string; readonly audit: string };
  readonly buckets: { readonly proofs: string; readonly exports: string };
  /** The environment for handlers (functions/shared/env.ts) and SDK clients. */
  readonly env: Readonly<Record<string, string>>;
  readonly dataDir: string | undefined;
  readonly region: string;
  /** What ensureTables did: created, or found in the persisted folder. */
  readonly tableOutcomes: readonly TableOutcome[];
  /** Stops both servers (and releases the data folder). Idempotent. */
  stop(): Promise<void>;
}

/** Another stack already uses the data folder. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

/** Starts DynamoDB Local and s3rver side by side, then creates the tables and buckets. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const releaseLock = dataDir === undefined ? () => undefined : lockDataDir(dataDir);
  let dynamodb: DynamoDbLocal | undefined;
  let s3: LocalS3 | undefined;
  try {
    // Java first: its start (2–4 s) dominates, so the AWS SDK and s3rver (~1.5 s of module
    // loading) load while it boots, which is why they are imported here and not on top.
    const ddbStarting = startDynamoDbLocal({
      ...(dataDir === undefined ? {} : { dbPath: join(dataDir, 'dynamodb') }),
      ...(options.onJavaOutput === undefined ? {} : { onOutput: options.onJavaOutput }),
    });
    const s3Starting = import('./s3').then(({ startLocalS3 }) =>
      startLocalS3({ region: localRegion, ...(dataDir === undefined ? {} : { directory: join(dataDir, 's3') }) }),
    );
    const [ddbResult, s3Result, heavy] = await Promise.allSettled([
      ddbStarting,
      s3Starting,
      Promise.all([import('./aws'), import('./resources')]),
    ]);
    if (ddbResult.status === 'fulfilled') dynamodb = ddbResult.value;
    if (s3Result.status === 'fulfilled') s3 = s3Result.value;
    if (ddbResult.status === 'rejected') throw ddbResult.reason;
    if (s3Result.status === 'rejected') throw s3Result.reason;
    if (heavy.status === 'rejected') throw heavy.reason;
    const ddb = dynamodb!;
    const objects = s3!;
    const [{ localDynamoClient, localS3Client }, { ensureBuckets, ensureTables, localBucketName, localEnvironment, localTableName }] = heavy.value;

    const dynamoClient = localDynamoClient(ddb.endpoint);
    const s3Client = localS3Client(objects.endpoint);
    let tableOutcomes: TableOutcome[];
    try {
      [tableOutcomes] = await Promise.all([ensureTables(dynamoClient), ensureBuckets(s3Client)]);
    } finally {
      dynamoClient.destroy();
      s3Client.destroy();
    }

    let stopping: Promise<void> | undefined;
    return {
      dynamodb: ddb,
      s3: objects,
      tables: { main: localTableName(mainTable), idempotency: localTableName(idempotencyTable), audit: localTableName(auditTable) },
      buckets: { proofs: localBucketName(proofsBucket), exports: localBucketName(exportsBucket) },
      env: localEnvironment({ dynamodb: ddb.endpoint, s3: objects.endpoint }),
      dataDir,
      region: localRegion,
      tableOutcomes,
      stop() {
        stopping ??= (async () => {
          const results = await Promise.allSettled([ddb.stop(), objects.stop()]);
          releaseLock();
          const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
          if (failed !== undefined) throw new Error('the local stack did not stop cleanly', { cause: failed.reason });
        })();
        return stopping;
      },
    };
  } catch (error) {
    // Whatever did start must not outlive a failed start.
    await Promise.allSettled([dynamodb?.stop(), s3?.stop()]);
    releaseLock();
    throw error;
  }
}

/**
 * Takes `<dataDir>/xiuhua.lock` (our pid inside) so two stacks never share one DynamoDB
 * file — DynamoDB Local would open it twice and corrupt it. A lock whose process is gone
 * (a stack that was SIGKILLed) is taken over. Returns the release function; the lock is
 * also removed if the process exits without calling it.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'xiuhua.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`could not create the lock file ${lockPath}`, { cause: error });
      }
      const holder = lockHolder(lockPath);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(
          `the data folder ${dataDir} is in use by another xiuhua local stack (pid ${holder}); ` +
            `stop that one first, or keep this one's data elsewhere with --persist <dir> (if no such stack runs, delete ${lockPath})`,
        );
      }
      // Stale: its owner died without cleaning up.
      unlinkSync(lockPath);
    }
  }
  throw new DataDirInUseError(`could not take the lock ${lockPath}; another stack is starting on the same folder`);
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    // Unreadable or half-written: treat as stale rather than lock the developer out forever.
    return undefined;
  }
}
