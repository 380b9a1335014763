import { Match } from 'aws-cdk-lib/assertions';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { buckets, proofsBucket, tables, type KeyAttribute, type TableDefinition } from '../../infra/definitions';
import { resourcesOfType, skipBundling, synthesise, type CfnResourceJson, type Synthesised, synthTimeoutMs } from './support';

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise({ context: skipBundling, nag: false, builtinCloudFormationValidation: false });
}, synthTimeoutMs);

function tableResource(definition: TableDefinition): CfnResourceJson {
  const cfn = synth.stack.stateful.table(definition).node.defaultChild as CfnTable;
  const resource = synth.resources[synth.stack.getLogicalId(cfn)];
  if (resource === undefined) throw new Error(`table ${definition.id} is not in the template`);
  return resource;
}

function bucketLogicalId(bucket: { node: { defaultChild?: unknown } }): string {
  return synth.stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): { AttributeName: string; KeyType: string }[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' }]),
  ];
}

describe('tables', () => {
  it('builds exactly one table per definition', () => {
    // Assess
    synth.template.resourceCountIs('AWS::DynamoDB::Table', tables.length);
  });

  describe.each(tables.map((definition) => [definition.id, definition] as const))('%s', (_id, definition) => {
    it('has the key schema of its definition', () => {
      // Act
      const properties = tableResource(definition).Properties ?? {};

      // Assess
      expect(properties['KeySchema']).toEqual(keySchema(definition.partitionKey, definition.sortKey));
    });

    it('has exactly the global secondary indexes of its definition', () => {
      // Act
      const indexes = (tableResource(definition).Properties?.['GlobalSecondaryIndexes'] ?? []) as {
        IndexName: string;
        KeySchema: unknown;
      }[];

      // Assess
      expect(indexes.map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema }))).toEqual(
        definition.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
        })),
      );
    });

    it('declares every key attribute with the type of its definition', () => {
      // Prepare
      const keys = [
        definition.partitionKey,
        ...(definition.sortKey === undefined ? [] : [definition.sortKey]),
        ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];

      // Act
      const declared = tableResource(definition).Properties?.['AttributeDefinitions'];

      // Assess
      expect(declared).toEqual(
        expect.arrayContaining(keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }))),
      );
      expect(declared).toHaveLength(new Set(keys.map((key) => key.name)).size);
    });

    it('is on demand, recoverable to a point in time, KMS-encrypted and protected from deletion', () => {
      // Act
      const resource = tableResource(definition);

      // Assess
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled true is the AWS-managed KMS key; absent would be an AWS-owned key.
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    it('expires items through the TTL attribute of its definition', () => {
      // Act
      const ttl = tableResource(definition).Properties?.['TimeToLiveSpecification'];

      // Assess
      expect(ttl).toEqual(
        definition.timeToLiveAttribute === undefined
          ? undefined
          : { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      );
    });
  });
});

describe('buckets', () => {
  const allBuckets = (): [string, CfnResourceJson][] => resourcesOfType(synth.resources, 'AWS::S3::Bucket');

  it('builds one bucket per definition plus the access log bucket, and the field app\'s site and request log buckets', () => {
    // Assess: the last two are infra/web.ts's (test/infra/web.test.ts).
    expect(allBuckets()).toHaveLength(buckets.length + 1 + 2);
  });

  it('blocks all public access, encrypts, versions and retains every bucket', () => {
    // Prepare: CloudFront's request logs need ACLs, so that bucket alone is "bucket owner preferred" (checked in web.test.ts).
    const cloudFrontLogs = bucketLogicalId(synth.stack.web.logBucket);

    // Assess
    for (const [logicalId, bucket] of allBuckets()) {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: logicalId === cloudFrontLogs ? 'BucketOwnerPreferred' : 'BucketOwnerEnforced' }] },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  it('denies every request without TLS on every bucket and its objects', () => {
    // Assess
    for (const [logicalId] of allBuckets()) {
      synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 's3:*',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [
                { 'Fn::GetAtt': [logicalId, 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/*']] },
              ],
            },
          ]),
        },
      });
    }
  });

  it('logs access to every defined bucket into the access log bucket', () => {
    // Prepare
    const logBucket = bucketLogicalId(synth.stack.stateful.accessLogs);

    // Assess
    for (const definition of buckets) {
      const resource = synth.resources[bucketLogicalId(synth.stack.stateful.bucket(definition))];
      expect(resource?.Properties?.['LoggingConfiguration']).toEqual({
        DestinationBucketName: { Ref: logBucket },
        LogFilePrefix: `${definition.id.toLowerCase()}/`,
      });
    }
  });

  it('never expires evidence in the proofs bucket', () => {
    // Act
    const resource = synth.resources[bucketLogicalId(synth.stack.stateful.bucket(proofsBucket))];
    const rules = (resource?.Properties?.['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;

    // Assess
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('ExpirationInDays');
      expect(rule).not.toHaveProperty('NoncurrentVersionExpiration');
    }
  });

  it('aborts incomplete multipart uploads in every bucket', () => {
    // Assess
    for (const [, bucket] of allBuckets()) {
      expect(bucket.Properties?.['LifecycleConfiguration']).toMatchObject({
        Rules: expect.arrayContaining([expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]),
      });
    }
  });
});
