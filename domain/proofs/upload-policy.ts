import { ValidationError } from '../errors';
import { allowedProofContentTypes, isProofContentType, proofKey, type ProofContentType } from './keys';

/**
 * The presigned POST policy of one proof photo, as data: the S3 adapter signs it
 * (`@aws-sdk/s3-presigned-post`) and the phone posts the photo straight to S3. The local S3
 * (s3rver) enforces none of this, so these conditions are what the unit tests check.
 */

/** 10 KiB: anything smaller is no photo (a thumbnail, an empty or truncated file). */
export const minProofBytes = 10 * 1024;
/** 15 MiB: a full-resolution phone photo fits; a video or a RAW file does not. */
export const maxProofBytes = 15 * 1024 * 1024;
/** How long the phone may take to start the upload (issue 5). */
export const uploadPolicyTtlSeconds = 15 * 60;

/** A POST policy condition (AWS S3 "Creating a POST policy", conditions). */
export type PolicyCondition =
  | readonly ['eq', '$key' | '$Content-Type', string]
  | readonly ['content-length-range', number, number];

export interface UploadPolicyInput {
  readonly tenantId: string;
  readonly contractId: string;
  /** The task, rectification order or work order the photo is for (./subjects). */
  readonly subjectId: string;
  /** The subject's date in the tenant zone, `YYYY-MM-DD`. */
  readonly localDate: string;
  /** As declared by the phone; checked here, and again by leading bytes at ingest. */
  readonly contentType: string;
  /** Injected (STYLE habit 2). */
  readonly uuid: string;
  readonly now: Date;
}

export interface UploadPolicy {
  readonly key: string;
  readonly conditions: readonly PolicyCondition[];
  /** Form fields the phone must send as they are. */
  readonly fields: { readonly 'Content-Type': ProofContentType };
  readonly expiresInSeconds: number;
  readonly expiresAt: Date;
}

/**
 * The policy for one upload: the exact key chosen by the server, a size between 10 KiB and
 * 15 MiB, the declared type pinned, valid 15 minutes from `now`. A type outside the allowed
 * list is a ValidationError on `body.contentType`; any other bad part is a wiring mistake
 * (RangeError from `proofKey`).
 */
export function uploadPolicy(input: UploadPolicyInput): UploadPolicy {
  const { contentType } = input;
  if (!isProofContentType(contentType)) {
    throw new ValidationError(
      'the photo type is not allowed',
      [{ path: 'body.contentType', message: `'${contentType}' is not one of ${allowedProofContentTypes.join(', ')}`, zh: `'${contentType}' 不是 ${allowedProofContentTypes.join('、')} 之一` }],
      { zh: '不允许的照片类型' },
    );
  }
  const key = proofKey({
    tenantId: input.tenantId,
    contractId: input.contractId,
    localDate: input.localDate,
    subjectId: input.subjectId,
    uuid: input.uuid,
    contentType,
  });
  return {
    key,
    conditions: [
      ['eq', '$key', key],
      ['content-length-range', minProofBytes, maxProofBytes],
      ['eq', '$Content-Type', contentType],
    ],
    fields: { 'Content-Type': contentType },
    expiresInSeconds: uploadPolicyTtlSeconds,
    expiresAt: new Date(input.now.getTime() + uploadPolicyTtlSeconds * 1000),
  };
}
