import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportObjectStore } from '../../../domain/payments/export-statement';
import { s3Client } from '../../shared/clients';
import { env } from '../../shared/env';

/**
 * The exports bucket behind `ExportObjectStore`: a plain PutObject, and a presigned GET signed
 * locally (as functions/adapters/s3/proof-blobs.ts does for proofs). The download is served as
 * an attachment so a browser saves the workbook instead of trying to show it.
 */
export class S3ExportStore implements ExportObjectStore {
  constructor(private readonly options: { readonly client?: S3Client; readonly bucket?: string } = {}) {}

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.client().send(new PutObjectCommand({ Bucket: this.bucket(), Key: key, Body: body, ContentType: contentType }));
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    const fileName = key.slice(key.lastIndexOf('/') + 1);
    const command = new GetObjectCommand({ Bucket: this.bucket(), Key: key, ResponseContentDisposition: `attachment; filename="${fileName}"` });
    return getSignedUrl(this.client(), command, { expiresIn: expiresInSeconds });
  }

  private client(): S3Client {
    return this.options.client ?? s3Client();
  }

  private bucket(): string {
    return this.options.bucket ?? env.exportsBucket;
  }
}
