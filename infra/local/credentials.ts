/**
 * The local stack's region and fake key pair, in a module with no imports so that the
 * DynamoDB Local launcher can load (and start Java) before the AWS SDK has loaded.
 * Every local client — handlers, seed, tests — uses these, so nothing local ever signs
 * with a developer's real credentials.
 */

/** Region of the local stack. AWS China (Beijing), where a Chinese district would deploy. */
export const localRegion = 'cn-north-1';

/**
 * s3rver knows exactly one key pair, S3RVER/S3RVER, and refuses any other access key id;
 * DynamoDB Local accepts any key made of letters and digits. So this pair serves both.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
