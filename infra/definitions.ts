/**
 * The one description of xiuhua's stateful resources. The CDK stack (infra/stateful.ts) and
 * the local stack (infra/local/) both build from these objects, so the key schema and the
 * indexes the code queries exist identically in AWS and on DynamoDB Local.
 *
 * No aws-cdk-lib import here: the local stack and the handlers' tests read this file too.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  /** Named after the access pattern it serves (STYLE: ElectroDB / dynamodb-toolbox habit). */
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly purpose: string;
}

export interface TableDefinition {
  /** Logical id in CDK and the table name on the local stack. */
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
}

/** The single table: every partition key starts with the tenant (DESIGN §5). */
export const mainTable: TableDefinition = {
  id: 'Main',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byStreet',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      purpose: 'segments of one street of a tenant, in id order',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
};

/**
 * Idempotency records (Powertools layout: `id` key, `expiration` TTL). A table of its own
 * because Powertools keys records by a hash that already includes the tenant, and because
 * these records expire while the main table's never do.
 */
export const idempotencyTable: TableDefinition = {
  id: 'Idempotency',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

/**
 * The audit log (issue 8): one item per state change, put in the same transaction as the
 * change and never updated or deleted by the service (the functions' grants on this table are
 * PutItem only; the audit module's are Query only). Per entity: pk
 * `AUDIT#{tenant}#{entity}#{entityId}`, sk `{at}#{entryId}`; per tenant and time: the
 * `byTenantTime` index, one partition per tenant and UTC day. No TTL: entries are kept.
 */
export const auditTable: TableDefinition = {
  id: 'Audit',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byTenantTime',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      purpose: "a tenant's audit entries of one UTC day, in time order (gsi1pk AUDIT#{tenant}#{yyyy-mm-dd}, gsi1sk {at}#{entryId})",
    },
  ],
};

export const tables = [mainTable, idempotencyTable, auditTable] as const;

export interface BucketDefinition {
  readonly id: string;
  readonly purpose: string;
  /** Environment variable through which handlers learn the bucket's name. */
  readonly env: string;
  /** Every key the service writes starts with this; grants stop at it (`<bucket>/<prefix>*`). */
  readonly keyPrefix: string;
  /**
   * The field app's browser POSTs objects straight into this bucket with a presigned form
   * (issue 14), so the bucket answers CORS for the app's origin: POST only, never PUT.
   */
  readonly browserUploads?: boolean;
}

export const proofsBucket: BucketDefinition = {
  id: 'Proofs',
  purpose: 'completion evidence photos: proofs/{tenant}/{contract}/{yyyy-mm-dd}/{subjectId}/{uuid}.{ext} (subject: task, rectification order or work order)',
  env: 'PROOFS_BUCKET',
  keyPrefix: 'proofs/',
  browserUploads: true,
};

export const exportsBucket: BucketDefinition = {
  id: 'Exports',
  purpose: 'statement exports (XLSX, CSV) under exports/',
  env: 'EXPORTS_BUCKET',
  keyPrefix: 'exports/',
};

export const buckets = [proofsBucket, exportsBucket] as const;

/** Environment variables every handler reads (functions/shared/env.ts). */
export const envNames = {
  mainTable: 'TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  auditTable: 'AUDIT_TABLE_NAME',
  proofsBucket: proofsBucket.env,
  exportsBucket: exportsBucket.env,
  /** Local stack only: endpoints of DynamoDB Local and s3rver. Unset in AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  s3Endpoint: 'S3_ENDPOINT',
} as const;
