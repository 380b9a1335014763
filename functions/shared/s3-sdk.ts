/**
 * The parts of the S3 SDK that xiuhua calls, in one module that ./s3-client.ts imports
 * dynamically (issue 16). A dynamic import keeps every export of the module it names, so
 * naming `@aws-sdk/client-s3` itself would ship all of its commands; re-exported from here,
 * esbuild keeps these and tree-shakes the rest.
 */
export { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
export { createPresignedPost } from '@aws-sdk/s3-presigned-post';
export { getSignedUrl } from '@aws-sdk/s3-request-presigner';
