import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { EventHandlerManifest } from '../../functions/events/manifest';
import { LambdaFunction, logRetention } from './lambda';

export interface MonthlyCloseProps {
  readonly stage: string;
  /** The manifest entry (functions/events/manifest.ts `monthly-close`); must say `stateMachine`. */
  readonly handler: EventHandlerManifest;
  /** The schedule expression of the entry (stateless.ts `scheduleExpressionOf`). */
  readonly schedule: scheduler.ScheduleExpression;
  /** The handler's environment: the main table's name, and the audit table's (its writes append entries). */
  readonly environment: Readonly<Record<string, string>>;
  /** Grants the manifest's table actions to the function, and PutItem alone on the audit table (issue 8). */
  readonly grantTable: (fn: LambdaFunction) => void;
}

/** Lambda's transient failures: the service, its SDK, and throttling (DESIGN §5: retried with backoff). */
export const lambdaTransientErrors = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

/**
 * The monthly close in AWS (issue 7 "The monthly close"): an EventBridge Scheduler schedule on
 * the 1st (00:30 Asia/Shanghai) starts a Standard Step Functions state machine:
 *
 *   List (Lambda, step `list`: every tenant's previous month, every contract in force)
 *   → Contracts (Map over the items, MaxConcurrency from the manifest; per item the Lambda's
 *     `compute` step, retried on Lambda service errors and throttling with exponential
 *     backoff; any other error caught per item and kept as `{ item, error }`, so one contract
 *     never stops the others)
 *   → Report (Lambda, step `report`: counts per tenant-month, raises the ranking notices, and
 *     fails the execution when a contract failed, so the failure shows in the console).
 *
 * The Map is INLINE: a district has hundreds of contracts, whose list (≈ 120 bytes an item)
 * is far inside the 256 KB state payload; a city of several thousand contracts would need the
 * DISTRIBUTED mode with the list written to S3 as its ItemReader.
 *
 * Idempotent: the execution is named by nothing, so a manual rerun (StartExecution with the
 * same empty input, or `{ "month": "YYYY-MM" }`) recomputes only what changed.
 */
export class MonthlyClose extends Construct {
  readonly fn: LambdaFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: MonthlyCloseProps) {
    super(scope, id);
    const { handler } = props;
    const maxConcurrency = handler.stateMachine?.maxConcurrency ?? 10;
    this.fn = new LambdaFunction(this, 'Handler', {
      entry: handler.entry,
      description: `xiuhua ${props.stage}: ${handler.name} (Step Functions tasks)`,
      timeout: Duration.seconds(handler.timeoutSeconds),
      environment: { ...props.environment },
    });
    props.grantTable(this.fn);

    const invoke = (stateId: string, payload: Record<string, unknown>, resultPath?: string): sfn.TaskStateBase =>
      new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: this.fn.function,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...(resultPath === undefined ? {} : { resultPath }),
      }).addRetry({ errors: lambdaTransientErrors, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, jitterStrategy: sfn.JitterType.FULL });

    // The execution's input whole: the schedule sends `{}`; a manual run may name `month` and `tenants`.
    const list = invoke('List', { step: 'list', 'input.$': '$' });
    const compute = invoke('Compute', { step: 'compute', 'tenantId.$': '$.tenantId', 'month.$': '$.month', 'contractId.$': '$.contractId' });
    const failed = new sfn.Pass(this, 'RecordFailure', {
      parameters: { item: { 'tenantId.$': '$.tenantId', 'month.$': '$.month', 'contractId.$': '$.contractId' }, 'error.$': '$.error' },
    });
    compute.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    const contracts = new sfn.Map(this, 'Contracts', { itemsPath: '$.items', maxConcurrency, resultPath: '$.results' });
    contracts.itemProcessor(compute);
    const report = invoke('Report', { step: 'report', 'results.$': '$.results' });
    list.next(contracts);
    contracts.next(report);

    const logGroup = new logs.LogGroup(this, 'Executions', { retention: logRetention, removalPolicy: RemovalPolicy.RETAIN });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(list),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // A district's close is minutes; an hour bounds a stuck one.
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: `xiuhua ${props.stage}: ${handler.description}`,
    });
    const functionId = Stack.of(this).getLogicalId(this.fn.function.node.defaultChild as CfnFunction);
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: `lambda:InvokeFunction on the ${handler.name} function and its versions (the ':*' LambdaInvoke adds); no other function.`,
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords and the CloudWatch Logs delivery actions accept no resource narrower than * (AWS documents both as resource-less).',
    });

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the dead-letter queue of the ${handler.name} schedule (EventBridge Scheduler); a dead-letter queue needs no dead-letter queue of its own.`,
    });
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `EventBridge Scheduler: start the ${handler.name} state machine`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `xiuhua ${props.stage}: ${handler.description}`,
      schedule: props.schedule,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject(handler.input),
        deadLetterQueue: this.deadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(24),
      }),
    });
  }
}
