import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectCreatedHandlers } from '../../functions/events/manifest';
import { auditTable, envNames, exportsBucket, mainTable } from '../../infra/definitions';
import { resourcesOfType, skipBundling, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * The export worker as deployed (issue 16): the exports bucket notifies it of ObjectCreated
 * under `jobs/`, it reads those job objects and writes files under `exports/` only, changes job
 * items only (dynamodb:LeadingKeys), and what fails every retry lands in an encrypted queue. The
 * exports HTTP module, which queues the jobs, may write job items and job objects and no file.
 */

interface Statement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

let synth: Synthesised;
const manifest = objectCreatedHandlers.find((handler) => handler.name === 'export-worker')!;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const deployed = () => synth.stack.stateless.objectCreated.get('export-worker')!;
const functionId = (): string => synth.stack.getLogicalId(deployed().fn.function.node.defaultChild as CfnFunction);
const bucketId = (): string => synth.stack.getLogicalId(synth.stack.stateful.bucket(exportsBucket).node.defaultChild as CfnBucket);
const tableId = (): string => synth.stack.getLogicalId(synth.stack.stateful.table(mainTable).node.defaultChild as CfnRole);
const auditId = (): string => synth.stack.getLogicalId(synth.stack.stateful.table(auditTable).node.defaultChild as CfnRole);
const queueId = (): string => synth.stack.getLogicalId(deployed().failures.node.defaultChild as CfnQueue);
const objects = (prefix: string): unknown => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${prefix}*`]] });
const onlyJobItems = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#EXPORT-JOBS'] } };

function statementsOfRole(role: CfnRole): Statement[] {
  const roleId = synth.stack.getLogicalId(role);
  return resourcesOfType(synth.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.['Roles'] as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

describe('export-worker', () => {
  it('is notified by the exports bucket of every ObjectCreated under jobs/, and of nothing else', () => {
    // Act
    const notifications = resourcesOfType(synth.resources, 'Custom::S3BucketNotifications').filter(([, resource]) => JSON.stringify(resource.Properties?.['BucketName']) === JSON.stringify({ Ref: bucketId() }));

    // Assess
    expect(notifications).toHaveLength(1);
    expect(notifications[0]![1].Properties).toMatchObject({
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'jobs/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          },
        ],
      },
    });
    expect(manifest.prefix).toBe('jobs/');
  });

  it('may be invoked by S3 for the exports bucket of this account only', () => {
    // Act
    const permissions = resourcesOfType(synth.resources, 'AWS::Lambda::Permission').filter(([, permission]) => JSON.stringify(permission.Properties?.['FunctionName']).includes(functionId()));

    // Assess
    expect(permissions).toHaveLength(1);
    expect(permissions[0]![1].Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: { 'Fn::GetAtt': [bucketId(), 'Arn'] }, SourceAccount: { Ref: 'AWS::AccountId' } });
  });

  it('reads job objects under jobs/ and writes files under exports/, nothing else of S3', () => {
    // Act
    const s3Statements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole).filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')));

    // Assess
    expect(s3Statements.map((statement) => [actionsOf(statement).sort(), statement.Resource])).toEqual([
      [['s3:GetObject', 's3:GetObjectVersion'], objects('jobs/')],
      [['s3:PutObject'], objects('exports/')],
    ]);
  });

  it('reads the table (GetItem, BatchGetItem), updates job items only, appends to the audit table only', () => {
    // Act
    const tableStatements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));

    // Assess
    expect(tableStatements.map((statement) => [actionsOf(statement).sort(), statement.Resource, statement.Condition])).toEqual([
      [['dynamodb:BatchGetItem', 'dynamodb:GetItem'], { 'Fn::GetAtt': [tableId(), 'Arn'] }, undefined],
      [['dynamodb:UpdateItem'], { 'Fn::GetAtt': [tableId(), 'Arn'] }, onlyJobItems],
      [['dynamodb:PutItem'], { 'Fn::GetAtt': [auditId(), 'Arn'] }, undefined],
    ]);
  });

  it('learns only the table and bucket names, has 1 GB, and is retried twice before its failure queue', () => {
    // Act
    const properties = synth.resources[functionId()]!.Properties!;
    const environment = (properties['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(Object.keys(environment).sort()).toEqual([envNames.mainTable, envNames.auditTable, envNames.exportsBucket, 'NODE_OPTIONS'].sort());
    expect(properties['MemorySize']).toBe(1024);
    expect(properties['Timeout']).toBe(120);
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId() },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
    expect(synth.resources[queueId()]!.Properties?.['SqsManagedSseEnabled']).toBe(true);
  });
});

describe('the exports HTTP module (queues the jobs)', () => {
  it('puts job items only, job objects under jobs/ only, reads files under exports/ to sign links, and writes no file', () => {
    // Act
    const exportsModule = synth.stack.stateless.functions.get('exports')!;
    const statements = statementsOfRole(exportsModule.role.node.defaultChild as CfnRole);
    const writes = statements.filter((statement) => actionsOf(statement).some((action) => ['dynamodb:PutItem', 'dynamodb:UpdateItem'].includes(action)) && JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [tableId(), 'Arn'] }));
    const s3Statements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')));

    // Assess
    expect(writes.map((statement) => [actionsOf(statement), statement.Condition])).toEqual([[['dynamodb:PutItem'], onlyJobItems]]);
    expect(s3Statements.map((statement) => [actionsOf(statement).sort(), statement.Resource])).toEqual([
      [['s3:GetObject'], objects('exports/')],
      [['s3:PutObject'], objects('jobs/')],
    ]);
  });
});
