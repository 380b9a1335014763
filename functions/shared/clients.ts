import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from './env';

/**
 * SDK clients, built once per Lambda container at first use (STYLE: module scope). The
 * local stack points them at DynamoDB Local / s3rver through the *_ENDPOINT variables.
 * S3's is in ./s3-client.ts, which only the S3 adapters import.
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
