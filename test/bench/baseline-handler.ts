import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The bench's yardstick (issue 2, §7): a handler that does nothing but import and construct
 * the DynamoDB client, built with the Lambda bundling options. Every module's cold init is
 * reported as a multiple of this one's.
 */
const client = new DynamoDBClient({});

export async function handler(): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: client.config.apiVersion };
}
