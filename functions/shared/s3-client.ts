import type { S3Client } from '@aws-sdk/client-s3';
import { env } from './env';
import { memoizedUntilFailure } from './memo';

/**
 * The S3 SDK, imported by the first call that signs or reads an object (issue 16): it is
 * about 150 KB of a bundle (the client, its XML protocol, checksums, the S3 middleware and
 * the signers), and most routes of the modules that hold an S3 adapter never touch S3 (a
 * list of proofs, a rectification order's read). esbuild puts it in a chunk of its own; only the routes
 * that reach this function load it. It is a module of its own because esbuild emits the
 * chunk of every dynamic import in a module a bundle holds, called or not: in clients.ts it
 * would ship in every bundle.
 */
export function s3Sdk(): Promise<typeof import('./s3-sdk')> {
  return import('./s3-sdk');
}

/**
 * The S3 client, built once per container at the first S3 call (a failed import is tried
 * again). On the local stack (S3_ENDPOINT set) it talks path-style to s3rver — a loopback
 * address has no bucket subdomains — in the stack's region (AWS_REGION, which the local
 * environment sets with s3rver's one key pair; `us-east-1` only when nothing set one).
 */
export const s3Client: () => Promise<S3Client> = memoizedUntilFailure(async () => {
  const { S3Client } = await s3Sdk();
  return new S3Client(
    env.s3Endpoint === undefined
      ? {}
      : {
          endpoint: env.s3Endpoint,
          forcePathStyle: true,
          region: process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1',
        },
  );
});
