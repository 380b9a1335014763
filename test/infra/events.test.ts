import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventHandlers } from '../../functions/events/manifest';
import { esbuildOptionsFor, projectRoot } from '../../infra/constructs/lambda';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { auditTable, envNames } from '../../infra/definitions';
import { scheduleExpressionOf } from '../../infra/stateless';
import { resourcesOfType, skipBundling, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * The scheduled event handlers of functions/events/manifest.ts as deployed: a Lambda from
 * the shared construct, an EventBridge Scheduler schedule with retries and a dead-letter
 * queue, and grants of exactly the manifest's table actions. (cdk-nag over the whole stack,
 * these included, is test/infra/nag.test.ts.)
 */

interface Statement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

/** Whether a statement is about the audit table (issue 8: every writer may PutItem there, nothing else; test/infra/audit.test.ts). */
function onAuditTable(statement: Statement): boolean {
  const auditId = synth.stack.getLogicalId(synth.stack.stateful.table(auditTable).node.defaultChild as CfnTable);
  return JSON.stringify(statement.Resource).includes(`"${auditId}"`);
}

function statementsOfRole(role: CfnRole): Statement[] {
  const roleId = synth.stack.getLogicalId(role);
  return resourcesOfType(synth.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.['Roles'] as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

describe('scheduled event handlers', () => {
  it('deploys one function and one schedule per manifest entry', () => {
    // Assess
    expect([...synth.stack.stateless.scheduled.keys()].sort()).toEqual(eventHandlers.map((handler) => handler.name).sort());
    synth.template.resourceCountIs('AWS::Scheduler::Schedule', eventHandlers.length);
  });

  // A state-machine entry (the monthly close) is scheduled onto its state machine, not its
  // Lambda: test/infra/monthly-close.test.ts checks that one.
  describe.each(eventHandlers.filter((handler) => handler.stateMachine === undefined).map((handler) => [handler.name, handler] as const))('%s', (name, handler) => {
    const deployed = () => synth.stack.stateless.scheduled.get(name)!;
    const functionId = (): string => synth.stack.getLogicalId(deployed().fn.function.node.defaultChild as CfnFunction);

    it('has an entry that exports a handler', () => {
      const file = path.join(projectRoot, handler.entry);

      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/export const handler\b/);
    });

    it('bundles as the HTTP modules do and loads without node_modules or environment', async () => {
      // Prepare: a temp directory, far from the repository's node_modules.
      const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'xiuhua-event-bundle-')), 'index.mjs');
      await build(esbuildOptionsFor(path.join(projectRoot, handler.entry), outfile));

      // Act
      const exported = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(typeof m.handler);`],
        { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'cn-north-1' } },
      );

      // Assess
      expect(exported.trim()).toBe('function');
    });

    it('runs on the manifest schedule with a retry policy and a dead-letter queue', () => {
      // Prepare
      const queueId = synth.stack.getLogicalId(deployed().deadLetters.node.defaultChild as CfnQueue);

      // Assess
      synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: scheduleExpressionOf(handler).expressionString,
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          Input: JSON.stringify(handler.input),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: handler.everyMinutes * 60 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        },
      });
    });

    it('keeps dead letters encrypted, for two weeks, reachable over TLS only', () => {
      const queue = synth.resources[synth.stack.getLogicalId(deployed().deadLetters.node.defaultChild as CfnQueue)]!;

      expect(queue.Properties?.['SqsManagedSseEnabled']).toBe(true);
      expect(queue.Properties?.['MessageRetentionPeriod']).toBe(14 * 24 * 3600);
      const policies = resourcesOfType(synth.resources, 'AWS::SQS::QueuePolicy').map(([, policy]) => JSON.stringify(policy.Properties));
      expect(policies.some((policy) => policy.includes('aws:SecureTransport') && policy.includes('"Deny"'))).toBe(true);
    });

    it('may call exactly the manifest table actions on the main table and PutItem on the audit table, and learns only their names', () => {
      // Prepare
      const statements = statementsOfRole(deployed().fn.role.node.defaultChild as CfnRole);
      const tableStatements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
      const environment = (synth.resources[functionId()]!.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(tableStatements.filter((statement) => !onAuditTable(statement)).flatMap(actionsOf).sort()).toEqual(handler.mainTable.map((action) => `dynamodb:${action}`).sort());
      expect(tableStatements.filter(onAuditTable).flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
      expect(JSON.stringify(tableStatements.map((statement) => statement.Resource))).not.toContain('index');
      expect(Object.keys(environment).sort()).toEqual([envNames.mainTable, envNames.auditTable, 'NODE_OPTIONS'].sort());
    });

    it('is invoked by a role of its own that may invoke this function and send to its dead-letter queue, nothing else', () => {
      // Prepare
      const target = synth.resources[synth.stack.getLogicalId(deployed().schedule.node.defaultChild as CfnFunction)]!.Properties?.['Target'] as { RoleArn: unknown };
      const roleId = (target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = synth.resources[roleId]!;
      const queueId = synth.stack.getLogicalId(deployed().deadLetters.node.defaultChild as CfnQueue);
      const statements = resourcesOfType(synth.resources, 'AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties?.['Roles']).includes(roleId))
        .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
      const resourcesFor = (action: string): string =>
        JSON.stringify(statements.filter((statement) => actionsOf(statement).includes(action)).map((statement) => statement.Resource));

      // Assess
      expect(JSON.stringify(role.Properties?.['AssumeRolePolicyDocument'])).toContain('scheduler.amazonaws.com');
      expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      expect(resourcesFor('lambda:InvokeFunction').match(/"Fn::GetAtt":\["(\w+)"/g)?.every((ref) => ref.includes(functionId()))).toBe(true);
      expect(resourcesFor('sqs:SendMessage')).toBe(JSON.stringify([{ 'Fn::GetAtt': [queueId, 'Arn'] }]));
    });
  });

  it('expires contracts daily at 00:10 Asia/Shanghai, with read-and-put grants only', () => {
    // Prepare
    const expiry = eventHandlers.find((handler) => handler.name === 'contract-expiry')!;
    const deployed = synth.stack.stateless.scheduled.get('contract-expiry')!;
    const functionId = synth.stack.getLogicalId(deployed.fn.function.node.defaultChild as CfnFunction);
    const statements = statementsOfRole(deployed.fn.role.node.defaultChild as CfnRole);

    // Assess
    expect(expiry.everyMinutes).toBe(24 * 60);
    synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(10 0 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: { Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 24 * 3600 } },
    });
    expect(statements.filter((statement) => !onAuditTable(statement)).flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(statements.filter(onAuditTable).flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
  });
});
