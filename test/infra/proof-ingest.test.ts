import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectCreatedHandlers } from '../../functions/events/manifest';
import { esbuildOptionsFor, projectRoot } from '../../infra/constructs/lambda';
import { auditTable, envNames, mainTable, proofsBucket } from '../../infra/definitions';
import { resourcesOfType, skipBundling, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * The proof-ingest Lambda as deployed (issue 5, "a real S3 notification in the CDK stack"):
 * the proofs bucket notifies it of ObjectCreated under `proofs/`, it may read only those
 * objects and touch the table only as the manifest says, and what fails every retry lands in
 * an encrypted queue. (cdk-nag over the whole stack is test/infra/nag.test.ts.)
 */

interface Statement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

let synth: Synthesised;
const manifest = objectCreatedHandlers.find((handler) => handler.name === 'proof-ingest')!;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const deployed = () => synth.stack.stateless.objectCreated.get('proof-ingest')!;
const functionId = (): string => synth.stack.getLogicalId(deployed().fn.function.node.defaultChild as CfnFunction);
const bucketId = (): string => synth.stack.getLogicalId(synth.stack.stateful.bucket(proofsBucket).node.defaultChild as CfnBucket);
const tableId = (): string => synth.stack.getLogicalId(synth.stack.stateful.table(mainTable).node.defaultChild as CfnRole);
const queueId = (): string => synth.stack.getLogicalId(deployed().failures.node.defaultChild as CfnQueue);

function statementsOfRole(role: CfnRole): Statement[] {
  const roleId = synth.stack.getLogicalId(role);
  return resourcesOfType(synth.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.['Roles'] as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

describe('proof-ingest', () => {
  it('is notified by the proofs bucket of every ObjectCreated under proofs/, and of nothing else', () => {
    // One notification configuration per bucket: the proofs bucket's (the exports bucket's is test/infra/export-worker.test.ts).
    const notifications = resourcesOfType(synth.resources, 'Custom::S3BucketNotifications').filter(([, resource]) => JSON.stringify(resource.Properties?.['BucketName']) === JSON.stringify({ Ref: bucketId() }));

    expect(notifications).toHaveLength(1);
    expect(notifications[0]![1].Properties).toMatchObject({
      BucketName: { Ref: bucketId() },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'proofs/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          },
        ],
      },
    });
    expect(manifest.prefix).toBe('proofs/');
  });

  it('may be invoked by S3 for the proofs bucket of this account only', () => {
    const permissions = resourcesOfType(synth.resources, 'AWS::Lambda::Permission').filter(
      ([, permission]) => JSON.stringify(permission.Properties?.['FunctionName']).includes(functionId()),
    );

    expect(permissions).toHaveLength(1);
    expect(permissions[0]![1].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [bucketId(), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('reads only objects under proofs/ of the proofs bucket, and writes none', () => {
    const statements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole);
    const s3Statements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')));

    expect(s3Statements.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(s3Statements.map((statement) => statement.Resource)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/proofs/*']] }]);
  });

  it('calls exactly GetItem, UpdateItem and PutItem on the main table, PutItem alone on the audit table, and no index', () => {
    const statements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole);
    const tableStatements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    const onMain = tableStatements.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [tableId(), 'Arn'] }));
    const auditId = synth.stack.getLogicalId(synth.stack.stateful.table(auditTable).node.defaultChild as CfnRole);

    expect(onMain.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    // The ingest result's audit entry rides in its transaction (issue 8).
    expect(tableStatements.filter((statement) => !onMain.includes(statement)).map((statement) => [actionsOf(statement), statement.Resource])).toEqual([
      [['dynamodb:PutItem'], { 'Fn::GetAtt': [auditId, 'Arn'] }],
    ]);
  });

  it('has no other grant than logs, tracing, its objects, its table actions and its failure queue', () => {
    const statements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole);
    const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));

    expect([...services].sort()).toEqual(['dynamodb', 'logs', 's3', 'sqs', 'xray']);
    const sqsStatements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
    expect(sqsStatements.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [queueId(), 'Arn'] }]);
  });

  it('learns only the table and bucket names', () => {
    const environment = (synth.resources[functionId()]!.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

    expect(Object.keys(environment).sort()).toEqual([envNames.mainTable, envNames.auditTable, envNames.proofsBucket, 'NODE_OPTIONS'].sort());
  });

  it('is retried twice by Lambda, then sent to its failure queue', () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId() },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
  });

  it('keeps failed events encrypted, for two weeks, reachable over TLS only', () => {
    const queue = synth.resources[queueId()]!;
    const policies = resourcesOfType(synth.resources, 'AWS::SQS::QueuePolicy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.['Queues']).includes(queueId()))
      .map(([, policy]) => JSON.stringify(policy.Properties));

    expect(queue.Properties?.['SqsManagedSseEnabled']).toBe(true);
    expect(queue.Properties?.['MessageRetentionPeriod']).toBe(14 * 24 * 3600);
    expect(policies.some((policy) => policy.includes('aws:SecureTransport') && policy.includes('"Deny"'))).toBe(true);
  });

  it('bundles and loads without node_modules or environment', async () => {
    const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'xiuhua-ingest-bundle-')), 'index.mjs');
    await build(esbuildOptionsFor(path.join(projectRoot, manifest.entry), outfile));

    const exported = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(typeof m.handler);`],
      { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'cn-north-1' } },
    );

    expect(exported.trim()).toBe('function');
  });
});
