import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { localDynamoClient, localS3Client } from '../../infra/local/aws';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/stack';

/**
 * The local stack for tests: the very start/stop code `npm start` runs (infra/local/stack.ts),
 * started once per run by test/helpers/global-setup.ts and described to the test files
 * through vitest's provide/inject.
 *
 *   import { localStack, localDynamo, localS3 } from '../helpers/local-stack';
 *   const { tables, buckets, env } = localStack();
 */

export { startLocalStack, type LocalStack, type LocalStackOptions };

/** What a test file needs to know about the running stack (plain data: it crosses processes). */
export interface LocalStackInfo {
  /** The handlers' environment: TABLE_NAME, IDEMPOTENCY_TABLE_NAME, buckets, endpoints, fake credentials. */
  readonly env: Readonly<Record<string, string>>;
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly tables: { readonly main: string; readonly idempotency: string; readonly audit: string };
  readonly buckets: { readonly proofs: string; readonly exports: string };
  readonly region: string;
  readonly javaPid: number;
  /** How long the stack took to start, for the curious (never asserted). */
  readonly startupMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: LocalStackInfo;
  }
}

/** Plain-data description of a started stack. */
export function describeLocalStack(stack: LocalStack, startupMs: number): LocalStackInfo {
  return {
    env: { ...stack.env },
    dynamodbEndpoint: stack.dynamodb.endpoint,
    s3Endpoint: stack.s3.endpoint,
    tables: stack.tables,
    buckets: stack.buckets,
    region: stack.region,
    javaPid: stack.dynamodb.javaPid,
    startupMs,
  };
}

/**
 * The stack of this test run. Also writes its environment into this worker's process.env,
 * so handler modules imported by the test read the local tables and endpoints.
 */
export function localStack(): LocalStackInfo {
  const info = inject('localStack') as LocalStackInfo | undefined;
  if (info === undefined) {
    throw new Error('no local stack: run this test in the integration project (vitest run --project integration), whose globalSetup starts it');
  }
  Object.assign(process.env, info.env);
  return info;
}

let dynamo: DynamoDBClient | undefined;
let s3: S3Client | undefined;

/** A DynamoDB client on the run's DynamoDB Local (shared within a test file). */
export function localDynamo(): DynamoDBClient {
  dynamo ??= localDynamoClient(localStack().dynamodbEndpoint);
  return dynamo;
}

/** An S3 client on the run's s3rver (path-style, s3rver's key pair). */
export function localS3(): S3Client {
  s3 ??= localS3Client(localStack().s3Endpoint);
  return s3;
}
