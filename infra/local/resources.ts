import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, NotFound, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  buckets as bucketDefinitions,
  auditTable,
  envNames,
  exportsBucket,
  idempotencyTable,
  mainTable,
  proofsBucket,
  tables as tableDefinitions,
  type BucketDefinition,
  type IndexDefinition,
  type KeyAttribute,
  type TableDefinition,
} from '../definitions';
import { localCredentials, localRegion } from './credentials';

/**
 * Tables and buckets of the local stack, created from infra/definitions.ts — the objects the
 * CDK stack (infra/stateful.ts) builds from — so keys, indexes and TTL match AWS.
 */

/** On the local stack a table is named by its logical id (definitions.ts says so). */
export function localTableName(table: TableDefinition): string {
  return table.id;
}

/** S3 names must be lower-case DNS labels; CDK generates the real ones in AWS. */
export function localBucketName(bucket: BucketDefinition): string {
  return `xiuhua-local-${bucket.id.toLowerCase()}`;
}

/** The local folder was made by an older definitions.ts and cannot be upgraded in place. */
export class StaleLocalTableError extends Error {
  override readonly name = 'StaleLocalTableError';
}

function attributeDefinitions(keys: readonly KeyAttribute[]): AttributeDefinition[] {
  const byName = new Map<string, KeyAttribute>();
  for (const key of keys) {
    const seen = byName.get(key.name);
    if (seen !== undefined && seen.type !== key.type) {
      throw new Error(`attribute ${key.name} is declared both as ${seen.type} and ${key.type} in infra/definitions.ts`);
    }
    byName.set(key.name, key);
  }
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function indexInput(index: IndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
    ],
    // As infra/stateful.ts: indexes project every attribute.
    Projection: { ProjectionType: 'ALL' },
  };
}

function allKeys(table: TableDefinition): KeyAttribute[] {
  return [
    table.partitionKey,
    ...(table.sortKey === undefined ? [] : [table.sortKey]),
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** What happened to each table, for the start banner and tests. */
export interface TableOutcome {
  readonly table: string;
  readonly action: 'created' | 'existed' | 'indexes-added';
}

/**
 * Creates every table of the definitions (on demand, GSIs, then TTL). A table kept in a
 * persisted data folder is reused; an index added to the definitions since is created on it.
 */
export async function ensureTables(
  client: DynamoDBClient,
  definitions: readonly TableDefinition[] = tableDefinitions,
): Promise<TableOutcome[]> {
  const outcomes: TableOutcome[] = [];
  for (const table of definitions) {
    const name = localTableName(table);
    try {
      outcomes.push({ table: name, action: await ensureTable(client, table, name) });
      await ensureTimeToLive(client, table, name);
    } catch (error) {
      if (error instanceof StaleLocalTableError) throw error;
      throw new Error(`could not create table ${name} on DynamoDB Local`, { cause: error });
    }
  }
  return outcomes;
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition, name: string): Promise<TableOutcome['action']> {
  const existing = await describe(client, name);
  if (existing === undefined) {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(allKeys(table)),
        KeySchema: [
          { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
          ...(table.sortKey === undefined ? [] : [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }]),
        ],
        ...(table.globalSecondaryIndexes.length === 0 ? {} : { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(indexInput) }),
      }),
    );
    return 'created';
  }
  const present = new Map((existing.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  let added = false;
  for (const index of table.globalSecondaryIndexes) {
    const found = present.get(index.indexName);
    if (found === undefined) {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: attributeDefinitions(allKeys(table)),
          GlobalSecondaryIndexUpdates: [{ Create: indexInput(index) }],
        }),
      );
      added = true;
      continue;
    }
    const keys = (found.KeySchema ?? []).map((key) => key.AttributeName).join(',');
    if (keys !== `${index.partitionKey.name},${index.sortKey.name}`) {
      // Changing an index's keys means rebuilding it from scratch; for demo data it is
      // simpler and safer to start over than to migrate.
      throw new StaleLocalTableError(
        `index ${index.indexName} of the local table ${name} has keys (${keys}), but infra/definitions.ts now says ` +
          `(${index.partitionKey.name},${index.sortKey.name}); delete the persisted data folder and start again`,
      );
    }
  }
  return added ? 'indexes-added' : 'existed';
}

async function ensureTimeToLive(client: DynamoDBClient, table: TableDefinition, name: string): Promise<void> {
  if (table.timeToLiveAttribute === undefined) return;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription;
  if (status?.TimeToLiveStatus === 'ENABLED' && status.AttributeName === table.timeToLiveAttribute) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
    }),
  );
}

/** Creates every bucket of the definitions that does not exist yet. */
export async function ensureBuckets(client: S3Client, definitions: readonly BucketDefinition[] = bucketDefinitions): Promise<string[]> {
  const created: string[] = [];
  for (const bucket of definitions) {
    const name = localBucketName(bucket);
    try {
      await client.send(new HeadBucketCommand({ Bucket: name }));
    } catch (error) {
      if (!(error instanceof NotFound) && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) {
        throw new Error(`could not check bucket ${name} on s3rver`, { cause: error });
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (createError) {
        throw new Error(`could not create bucket ${name} on s3rver`, { cause: createError });
      }
      created.push(name);
    }
    if (bucket.id === proofsBucket.id) await allowBrowserUploads(client, name);
  }
  return created;
}

/**
 * The field app posts photos straight to the proofs bucket with the presigned form, from the
 * app's origin to s3rver's: a cross-origin POST whose answer the browser reads only with CORS.
 * Locally any loopback port may post (the app runs wherever `npm start` put it); in AWS the
 * bucket's rule names the CloudFront origin only (infra/stateful.ts).
 */
async function allowBrowserUploads(client: S3Client, bucket: string): Promise<void> {
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'Location'], MaxAgeSeconds: 3000 }],
      },
    }),
  );
}

/**
 * The environment the handlers read (functions/shared/env.ts), pointing at this local
 * stack, plus the fake credentials and region every SDK client picks up.
 */
export function localEnvironment(endpoints: { readonly dynamodb: string; readonly s3: string }): Record<string, string> {
  return {
    [envNames.mainTable]: localTableName(mainTable),
    [envNames.idempotencyTable]: localTableName(idempotencyTable),
    [envNames.auditTable]: localTableName(auditTable),
    [envNames.proofsBucket]: localBucketName(proofsBucket),
    [envNames.exportsBucket]: localBucketName(exportsBucket),
    [envNames.dynamodbEndpoint]: endpoints.dynamodb,
    [envNames.s3Endpoint]: endpoints.s3,
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    // Left over from real AWS work in the same shell, these would win over (AWS_PROFILE) or
    // ride along with (AWS_SESSION_TOKEN) the fake key; the SDK treats '' as unset.
    AWS_PROFILE: '',
    AWS_SESSION_TOKEN: '',
    // See aws.ts: the SDK's Node 22 reminder is known and planned for (DESIGN §5).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Handlers call Lambda's name in logs and idempotency keys; one process serves them all.
    AWS_LAMBDA_FUNCTION_NAME: 'xiuhua-local',
  };
}
