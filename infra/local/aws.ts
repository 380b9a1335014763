import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { localCredentials, localRegion } from './credentials';

/** SDK clients on the local stack, with its region and fake key pair (credentials.ts). */

export { localCredentials, localRegion };

/**
 * DESIGN §5: Lambda runs Node 22 and the local machine Node 20 on purpose, and the plan for
 * the SDK's move to Node 22 is written down; its reminder would open every local run.
 */
function quietNodeVersionReminder(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

/** A DynamoDB client for DynamoDB Local at `endpoint`. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  quietNodeVersionReminder();
  return new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
}

/** An S3 client for s3rver at `endpoint` (path-style: a loopback address has no bucket subdomains). */
export function localS3Client(endpoint: string): S3Client {
  quietNodeVersionReminder();
  return new S3Client({ endpoint, region: localRegion, credentials: localCredentials, forcePathStyle: true });
}
