import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventHandlers } from '../../functions/events/manifest';
import { lambdaTransientErrors } from '../../infra/constructs/monthly-close';
import { scheduleExpressionOf } from '../../infra/stateless';
import { resourcesOfType, skipBundling, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * The monthly close as deployed (infra/constructs/monthly-close.ts): a schedule on the 1st at
 * 00:30 Asia/Shanghai starting a state machine List → Map(Compute, retried and caught per
 * item) → Report.
 */

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

interface StateJson {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly MaxConcurrency?: number;
  readonly ItemsPath?: string;
  readonly ItemProcessor?: { readonly StartAt: string; readonly States: Record<string, StateJson> };
  readonly Retry?: readonly { readonly ErrorEquals: string[]; readonly BackoffRate?: number; readonly MaxAttempts?: number }[];
  readonly Catch?: readonly { readonly ErrorEquals: string[]; readonly Next: string; readonly ResultPath?: string }[];
  readonly Parameters?: Record<string, unknown>;
}

/** The definition with its Fn::Join of tokens flattened to text (function ARNs left as refs). */
function definition(): { StartAt: string; States: Record<string, StateJson> } {
  const machine = synth.stack.stateless.monthlyClose!.stateMachine;
  const resource = synth.resources[synth.stack.getLogicalId(machine.node.defaultChild as CfnStateMachine)]!;
  const body = resource.Properties?.['DefinitionString'] as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '"ARN"')).join('');
  return JSON.parse(text.replace(/""ARN""/g, '"ARN"')) as { StartAt: string; States: Record<string, StateJson> };
}

describe('monthly close in the CDK stack', () => {
  const manifest = eventHandlers.find((handler) => handler.name === 'monthly-close')!;

  it('is scheduled on the 1st at 00:30 Asia/Shanghai and starts the state machine', () => {
    // Prepare
    const machineId = synth.stack.getLogicalId(synth.stack.stateless.monthlyClose!.stateMachine.node.defaultChild as CfnStateMachine);
    const queueId = synth.stack.getLogicalId(synth.stack.stateless.monthlyClose!.deadLetters.node.defaultChild as CfnQueue);

    // Assess
    expect(scheduleExpressionOf(manifest).expressionString).toBe('cron(30 0 1 * ? *)');
    synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 0 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: { Arn: { Ref: machineId }, Input: '{}', DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('lists, maps the contracts with bounded concurrency, then reports', () => {
    // Act
    const { StartAt, States } = definition();

    // Assess
    expect(StartAt).toBe('List');
    expect(States['List']?.Next).toBe('Contracts');
    expect(States['Contracts']).toMatchObject({ Type: 'Map', ItemsPath: '$.items', MaxConcurrency: manifest.stateMachine!.maxConcurrency, Next: 'Report' });
    expect(States['Report']?.End).toBe(true);
  });

  it('retries each item on Lambda service errors and throttling with backoff, and catches any other failure per item', () => {
    // Act
    const processor = definition().States['Contracts']!.ItemProcessor!;
    const compute = processor.States[processor.StartAt]!;

    // Assess
    expect(compute.Retry).toContainEqual(expect.objectContaining({ ErrorEquals: lambdaTransientErrors, BackoffRate: 2, MaxAttempts: 6 }));
    expect(compute.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'RecordFailure', ResultPath: '$.error' }]);
    expect(processor.States['RecordFailure']?.Type).toBe('Pass');
  });

  it('runs every task on the one monthly-close function, which learns only the names of the main table and the audit table', () => {
    // Prepare
    const fnId = synth.stack.getLogicalId(synth.stack.stateless.monthlyClose!.fn.function.node.defaultChild as CfnFunction);
    const environment = (synth.resources[fnId]!.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(Object.keys(environment).sort()).toEqual(['AUDIT_TABLE_NAME', 'NODE_OPTIONS', 'TABLE_NAME']);
    expect(resourcesOfType(synth.resources, 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    const machine = resourcesOfType(synth.resources, 'AWS::StepFunctions::StateMachine')[0]![1];
    expect(machine.Properties?.['TracingConfiguration']).toEqual({ Enabled: true });
    expect(JSON.stringify(machine.Properties?.['LoggingConfiguration'])).toContain('"Level":"ALL"');
  });
});
