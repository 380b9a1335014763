import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { env } from './env';

/**
 * SDK clients, built once per Lambda container at first use (STYLE: module scope). The
 * local stack points them at DynamoDB Local / s3rver through the *_ENDPOINT variables.
 */
let dynamo: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({
    ...(env.dynamodbEndpoint === undefined ? {} : { endpoint: env.dynamodbEndpoint }),
  });
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  document ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return document;
}

let s3: S3Client | undefined;

/**
 * The S3 client. On the local stack (S3_ENDPOINT set) it talks path-style to s3rver — a
 * loopback address has no bucket subdomains — in the stack's region (AWS_REGION, which the
 * local environment sets with s3rver's one key pair; `us-east-1` only when nothing set one).
 */
export function s3Client(): S3Client {
  s3 ??= new S3Client(
    env.s3Endpoint === undefined
      ? {}
      : {
          endpoint: env.s3Endpoint,
          forcePathStyle: true,
          region: process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1',
        },
  );
  return s3;
}
