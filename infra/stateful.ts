import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  buckets,
  exportsBucket,
  proofsBucket,
  tables,
  type BucketDefinition,
  type KeyAttribute,
  type TableDefinition,
} from './definitions';

const attributeTypes: Readonly<Record<KeyAttribute['type'], dynamodb.AttributeType>> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: attributeTypes[key.type] };
}

/**
 * Lifecycle per bucket. Proofs are evidence (DESIGN §5: never overwritten or deleted by the
 * service), so nothing there expires; they only move to a cheaper class once the month that
 * needed them is settled. Exports can be produced again from the approved statement, so
 * superseded versions go after 90 days.
 */
const lifecycles: Readonly<Record<string, readonly s3.LifecycleRule[]>> = {
  [proofsBucket.id]: [
    {
      id: 'evidence-to-infrequent-access',
      transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
    },
  ],
  [exportsBucket.id]: [
    {
      id: 'exports-to-infrequent-access',
      transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
      noncurrentVersionExpiration: Duration.days(90),
    },
  ],
};

/** Every bucket: crews' uploads that never finished must not be billed forever. */
export const abortIncompleteUploads: s3.LifecycleRule = {
  id: 'abort-incomplete-multipart-uploads',
  abortIncompleteMultipartUploadAfter: Duration.days(1),
};

/**
 * How long request logs are kept (the access log bucket, and CloudFront's log bucket in
 * infra/web.ts): six months at least (网络安全法 art. 21), plus a margin for the yearly audit.
 */
export const requestLogRetention: s3.LifecycleRule = {
  id: 'expire-access-logs',
  expiration: Duration.days(400),
  noncurrentVersionExpiration: Duration.days(30),
};

/** What every private bucket of the service shares. */
export const privateBucketDefaults = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies s3.BucketProps;

/**
 * Tables and buckets, built from infra/definitions.ts (the local stack builds from the same
 * objects). Everything here holds data of record: retained when the stack goes, tables
 * protected against deletion and restorable to any second of the last 35 days.
 */
export class Stateful extends Construct {
  private readonly tablesById = new Map<string, dynamodb.Table>();
  private readonly bucketsById = new Map<string, s3.Bucket>();
  /** Receives the S3 server access logs of the other buckets. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    for (const definition of tables) {
      this.tablesById.set(definition.id, this.createTable(definition));
    }

    // S3 server access logging cannot deliver to SSE-KMS buckets: S3-managed keys here. It
    // logs nothing itself: its own access logs would be log writes about log writes.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucketDefaults,
      lifecycleRules: [abortIncompleteUploads, requestLogRetention],
    });

    for (const definition of buckets) {
      this.bucketsById.set(definition.id, this.createBucket(definition));
    }
  }

  /** The table built from a definition; throws for a definition this construct did not build. */
  table(definition: TableDefinition): dynamodb.Table {
    const table = this.tablesById.get(definition.id);
    if (table === undefined) throw new Error(`no table was built for definition ${definition.id}`);
    return table;
  }

  /** The bucket built from a definition; throws for a definition this construct did not build. */
  bucket(definition: BucketDefinition): s3.Bucket {
    const bucket = this.bucketsById.get(definition.id);
    if (bucket === undefined) throw new Error(`no bucket was built for definition ${definition.id}`);
    return bucket;
  }

  /**
   * CORS on every bucket the browser uploads into (BucketDefinition.browserUploads): the field
   * app POSTs the presigned form from `origin` (https://<app domain>) and must read the answer.
   * POST only: the service never signs a PUT, so no browser needs one. The origin comes from
   * infra/web.ts once the distribution (or the configured domain) is known.
   */
  allowBrowserUploadsFrom(origin: string): void {
    for (const definition of buckets.filter((candidate) => candidate.browserUploads === true)) {
      this.bucket(definition).addCorsRule({
        id: 'field-app-presigned-post',
        allowedMethods: [s3.HttpMethods.POST],
        allowedOrigins: [origin],
        allowedHeaders: ['*'],
        maxAge: 3000,
      });
    }
  }

  private createTable(definition: TableDefinition): dynamodb.Table {
    const table = new dynamodb.Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey === undefined ? {} : { sortKey: attribute(definition.sortKey) }),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed key: encrypted with KMS and visible in CloudTrail, without a key policy
      // of our own to keep in step with every grant.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(definition.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: definition.timeToLiveAttribute }),
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  private createBucket(definition: BucketDefinition): s3.Bucket {
    return new s3.Bucket(this, definition.id, {
      ...privateBucketDefaults,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${definition.id.toLowerCase()}/`,
      lifecycleRules: [abortIncompleteUploads, ...(lifecycles[definition.id] ?? [])],
    });
  }
}
