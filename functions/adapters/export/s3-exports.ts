import type { S3Client } from '@aws-sdk/client-s3';
import type { ExportObjectStore } from '../../../domain/payments/export-statement';
import type { ExportFileName } from '../../../domain/payments/export-table';
import { s3Client, s3Sdk } from '../../shared/s3-client';
import { env } from '../../shared/env';

/**
 * The exports bucket behind `ExportObjectStore`: a plain PutObject, and a presigned GET signed
 * locally (as functions/adapters/s3/proof-blobs.ts does for proofs). The download is served as
 * an attachment so a browser saves the workbook instead of trying to show it, under the file
 * name people read (domain export-table.ts `exportFileName`), stored on the object and set on
 * the link.
 */
export class S3ExportStore implements ExportObjectStore {
  constructor(private readonly options: { readonly client?: S3Client; readonly bucket?: string } = {}) {}

  async put(key: string, body: Uint8Array | string, contentType: string, fileName?: ExportFileName): Promise<void> {
    const { PutObjectCommand } = await s3Sdk();
    await (await this.client()).send(
      new PutObjectCommand({ Bucket: this.bucket(), Key: key, Body: body, ContentType: contentType, ContentDisposition: attachmentDisposition(fileName ?? fallbackName(key)) }),
    );
  }

  async presignGet(key: string, expiresInSeconds: number, fileName?: ExportFileName): Promise<string> {
    const { GetObjectCommand, getSignedUrl } = await s3Sdk();
    const command = new GetObjectCommand({ Bucket: this.bucket(), Key: key, ResponseContentDisposition: attachmentDisposition(fileName ?? fallbackName(key)) });
    return getSignedUrl(await this.client(), command, { expiresIn: expiresInSeconds });
  }

  private async client(): Promise<S3Client> {
    return this.options.client ?? s3Client();
  }

  private bucket(): string {
    return this.options.bucket ?? env.exportsBucket;
  }
}

/**
 * `attachment` with both names (RFC 6266 §4.3): `filename="…"` the ASCII fallback, and
 * `filename*=UTF-8''…` (RFC 5987) the name people read, percent-encoded so the header stays
 * ASCII whatever the contract's title. exportFileName has already removed quotes, backslashes
 * and control characters from both.
 */
export function attachmentDisposition(fileName: ExportFileName): string {
  return `attachment; filename="${fileName.asciiName}"; filename*=UTF-8''${rfc5987(fileName.name)}`;
}

/** RFC 5987 attr-char: encodeURIComponent leaves ' ( ) * unencoded, which attr-char does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The key's last part, for an object written without a name (ids only, already ASCII). */
function fallbackName(key: string): ExportFileName {
  const name = key.slice(key.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9._-]/g, '_');
  return { name, asciiName: name };
}
