import type { S3Client } from '@aws-sdk/client-s3';
import type { PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import type { ProofBlobStore } from '../../../domain/proofs/evidence';
import type { UploadPolicy } from '../../../domain/proofs/upload-policy';
import { s3Client, s3Sdk } from '../../shared/s3-client';
import { env } from '../../shared/env';

export interface S3ProofBlobStoreOptions {
  /** Defaults to the container's shared client (functions/shared/clients). */
  readonly client?: S3Client;
  /** Defaults to the proofs bucket from the environment, read at first use. */
  readonly bucket?: string;
  /** Only to compute `expiresAt` of a download; the signatures use the SDK's own clock. */
  readonly now?: () => Date;
}

/**
 * The proofs bucket behind the ProofBlobStore port: signs the upload policy the domain wrote
 * (domain/proofs/upload-policy) as a presigned POST, and short-lived GETs for reviewers.
 * Signing is local (no request to S3), so neither call fails on S3 being slow.
 */
export class S3ProofBlobStore implements ProofBlobStore {
  readonly #options: S3ProofBlobStoreOptions;

  constructor(options: S3ProofBlobStoreOptions = {}) {
    this.#options = options;
  }

  /** The URL and every form field; the policy's conditions go in verbatim, so S3 enforces exactly them. */
  async presignUpload(policy: UploadPolicy): Promise<{ readonly url: string; readonly fields: Readonly<Record<string, string>> }> {
    const { createPresignedPost } = await s3Sdk();
    const { url, fields } = await createPresignedPost(await this.#client(), {
      Bucket: this.#bucket(),
      Key: policy.key,
      Conditions: policy.conditions.map((condition) => [...condition]) as PresignedPostOptions['Conditions'],
      Fields: { ...policy.fields },
      Expires: policy.expiresInSeconds,
    });
    return { url, fields };
  }

  /** A GET of the exact version when known, so a reviewer sees what ingest hashed. */
  async presignDownload(
    key: string,
    options: { readonly versionId?: string; readonly expiresInSeconds: number },
  ): Promise<{ readonly url: string; readonly expiresAt: Date }> {
    const { GetObjectCommand, getSignedUrl } = await s3Sdk();
    const command = new GetObjectCommand({
      Bucket: this.#bucket(),
      Key: key,
      ...(options.versionId === undefined ? {} : { VersionId: options.versionId }),
    });
    const url = await getSignedUrl(await this.#client(), command, { expiresIn: options.expiresInSeconds });
    const now = this.#options.now?.() ?? new Date();
    return { url, expiresAt: new Date(now.getTime() + options.expiresInSeconds * 1000) };
  }

  async #client(): Promise<S3Client> {
    return this.#options.client ?? s3Client();
  }

  #bucket(): string {
    return this.#options.bucket ?? env.proofsBucket;
  }
}
