import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { ObjectUnreadableError, type ProofObjectReader, type ReadObject } from '../../../domain/proofs/ingest-use-case';
import { structureScanner } from '../../../domain/proofs/structure';
import { s3Client, s3Sdk } from '../../shared/s3-client';
import { env } from '../../shared/env';

/** Enough for the type signature and a phone's Exif segment (APP1 is at most 64 KiB, HEIC's meta box a few KiB). */
export const headBytes = 256 * 1024;

/** S3 errors that will be the same on every retry: the object or version is gone, or archived. */
const permanentErrors = new Set(['NoSuchKey', 'NoSuchVersion', 'NoSuchBucket', 'InvalidObjectState', 'NotFound']);

export interface S3ProofObjectReaderOptions {
  readonly client?: S3Client;
  readonly bucket?: string;
  /** Whole reads tried before giving up (a stream that breaks midway is read again from the start). */
  readonly attempts?: number;
  /** Pause before a new attempt; tests pass 0. */
  readonly pauseMs?: (attempt: number) => number;
}

/**
 * Reads a proof object once to its end, hashing as it streams (sha-256, node:crypto) and
 * walking its structure (domain/proofs/structure.ts) so a 15 MiB photo never sits in memory
 * whole; keeps only the first 256 KiB. The SDK retries a
 * failed request, but not a body that breaks midway: that is retried here, from the start
 * with a fresh hash, before the error goes up to the event's own retry.
 */
export class S3ProofObjectReader implements ProofObjectReader {
  readonly #options: S3ProofObjectReaderOptions;

  constructor(options: S3ProofObjectReaderOptions = {}) {
    this.#options = options;
  }

  async read(key: string, versionId?: string): Promise<ReadObject> {
    const attempts = this.#options.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        return await this.#readOnce(key, versionId);
      } catch (error) {
        if (error instanceof ObjectUnreadableError) throw error;
        if (error instanceof (await s3Sdk()).S3ServiceException && permanentErrors.has(error.name)) {
          throw new ObjectUnreadableError(`${error.name} for ${key}${versionId === undefined ? '' : ` version ${versionId}`}`, { cause: error });
        }
        lastError = error;
        if (attempt < attempts) {
          const pause = this.#options.pauseMs?.(attempt) ?? Math.min(1000, 100 * 2 ** attempt);
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    }
    throw new Error(`could not read ${key} after ${attempts} attempts`, { cause: lastError });
  }

  async #readOnce(key: string, versionId: string | undefined): Promise<ReadObject> {
    const { GetObjectCommand } = await s3Sdk();
    const response = await (this.#options.client ?? (await s3Client())).send(
      new GetObjectCommand({
        Bucket: this.#options.bucket ?? env.proofsBucket,
        Key: key,
        ...(versionId === undefined ? {} : { VersionId: versionId }),
      }),
    );
    const body = response.Body as AsyncIterable<Uint8Array> | undefined;
    if (body === undefined) throw new Error(`GetObject ${key} returned no body`);
    const hash = createHash('sha256');
    const structure = structureScanner();
    const head = Buffer.alloc(headBytes);
    let headLength = 0;
    let sizeBytes = 0;
    for await (const chunk of body) {
      hash.update(chunk);
      structure.update(chunk);
      if (headLength < headBytes) {
        const take = Math.min(chunk.length, headBytes - headLength);
        head.set(chunk.subarray(0, take), headLength);
        headLength += take;
      }
      sizeBytes += chunk.length;
    }
    // A body shorter than announced ended early without an error: read again rather than hash half a photo.
    if (response.ContentLength !== undefined && response.ContentLength !== sizeBytes) {
      throw new Error(`GetObject ${key} announced ${response.ContentLength} bytes and delivered ${sizeBytes}`);
    }
    return {
      sizeBytes,
      sha256: hash.digest('hex'),
      head: head.subarray(0, headLength),
      structure: structure.finish(),
      ...(response.VersionId === undefined || response.VersionId === 'null' ? {} : { versionId: response.VersionId }),
      ...(response.ETag === undefined ? {} : { eTag: response.ETag.replaceAll('"', '') }),
    };
  }
}
