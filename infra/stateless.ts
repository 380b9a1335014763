import { Aws, CfnCondition, Duration, Fn, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventHandlers, objectCreatedHandlers, type EventHandlerManifest, type ObjectCreatedHandlerManifest } from '../functions/events/manifest';
import { roles } from '../domain/policy';
import { httpModules } from '../functions/http/manifest';
import type { HttpModuleManifest, RouteSpec } from '../functions/shared/route';
import { claimNames } from '../functions/shared/auth';
import { LambdaFunction, logRetention } from './constructs/lambda';
import { MonthlyClose } from './constructs/monthly-close';
import {
  auditTable,
  envNames,
  exportsBucket,
  idempotencyTable,
  mainTable,
  proofsBucket,
  type BucketDefinition,
  type TableDefinition,
} from './definitions';
import type { Stateful } from './stateful';

type Needs = HttpModuleManifest['needs'];

/**
 * DynamoDB actions per level of need. No Scan: every access pattern has a key or an index
 * (DESIGN §5), so a scan in a handler is a bug we would rather see fail. Transactions are
 * authorised per item with these same actions.
 */
const tableActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  /**
   * PutItem and UpdateItem (transactions included): nothing in functions/ deletes an item or
   * batch-writes (records are superseded, withdrawn or expire by TTL, never deleted), so no
   * function holds DeleteItem or BatchWriteItem (issue 13: 13 functions did, the public Open311
   * one among them). test/infra/least-privilege.test.ts checks the code still sends neither.
   */
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /**
   * What the idempotency persistence layer calls (functions/shared/idempotency.ts): GetItem,
   * the in-progress claim and the answer as UpdateItem. A failed attempt's
   * record is released by an UpdateItem, not deleted, so DeleteItem is not needed.
   */
  idempotency: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  /**
   * The audit log (issue 8) for a function that writes the main table: PutItem alone, so its
   * entries (put in the same transactions as the changes) can never be updated or deleted by
   * the service. No read either: nothing that writes needs to read the log.
   */
  auditAppend: ['dynamodb:PutItem'],
  /** The audit module's reads: Query on the table (per record) and on its index (per tenant and time). */
  auditRead: ['dynamodb:Query'],
} as const;

/** The export jobs' partitions (functions/adapters/dynamodb/keys.ts `exportJobs`) and job objects (domain/payments/export-jobs.ts). */
const exportJobPartitions = 'T#*#EXPORT-JOBS';
const exportJobsPrefix = 'jobs/';

/** Main-table actions that change items: a function holding any of them appends audit entries. */
const writeActions = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']);

/**
 * S3 object actions per level of need. Never DeleteObject: evidence and exports are not
 * deleted by the service (DESIGN §5). `put` is what signing a presigned POST needs.
 */
const bucketActions = {
  read: ['s3:GetObject'],
  readWrite: ['s3:GetObject', 's3:PutObject'],
  put: ['s3:PutObject'],
} as const;

/**
 * The user pool attribute behind a claim: Cognito puts custom attribute `x` into the ID token
 * as `custom:x`, and functions/shared/auth.ts names the claims the handlers read.
 */
const customAttribute = (claim: string): string => claim.replace(/^custom:/, '');

export interface StatelessProps {
  readonly stage: string;
  readonly stateful: Stateful;
  /**
   * Where the field app runs (`https://<domain>`, no trailing slash): the app client's OAuth
   * callback and sign-out URLs are under it. A token is fine (infra/xiuhua-stack.ts passes the
   * distribution's domain lazily when no custom domain is configured).
   */
  readonly appOrigin: string;
  /** The managed login domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`); default `xiuhua-<stage>`. */
  readonly authDomainPrefix?: string;
  /** The HTTP modules to deploy; the manifest unless a test passes its own. */
  readonly modules?: readonly HttpModuleManifest[];
  /** The scheduled event handlers to deploy; functions/events/manifest.ts unless a test passes its own. */
  readonly eventHandlers?: readonly EventHandlerManifest[];
  /** The S3 ObjectCreated handlers to deploy; functions/events/manifest.ts unless a test passes its own. */
  readonly objectCreatedHandlers?: readonly ObjectCreatedHandlerManifest[];
}

/** An ObjectCreated handler as deployed: its function and the queue of invocations that failed every retry. */
export interface ObjectCreatedFunction {
  readonly fn: LambdaFunction;
  readonly failures: sqs.Queue;
}

/** A scheduled handler as deployed: its function, its schedule and the schedule's dead letters. */
export interface ScheduledFunction {
  readonly fn: LambdaFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetters: sqs.Queue;
}

/**
 * Identity, API and functions: Cognito with one group per role, an HTTP API whose routes and
 * Lambdas come from functions/http/manifest.ts, and grants derived from each module's needs.
 */
export class Stateless extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** The user pool's Cognito prefix domain, serving managed login (version 2) and the OAuth endpoints. */
  readonly userPoolDomain: cognito.UserPoolDomain;
  /**
   * The managed login host (`<prefix>.auth.<region>.amazoncognito.com`, no scheme), built from
   * the prefix rather than read from the domain resource, so that the distribution's CSP and
   * the app's config can name it without depending on the user pool.
   */
  readonly managedLoginDomain: string;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** One function per module, by module name. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  /** One function and schedule per event handler, by name. */
  readonly scheduled: ReadonlyMap<string, ScheduledFunction>;
  /** One function per S3 ObjectCreated handler, by name. */
  readonly objectCreated: ReadonlyMap<string, ObjectCreatedFunction>;
  /** The monthly close's state machine, when the manifest has it. */
  monthlyClose?: MonthlyClose;

  private readonly stateful: Stateful;

  constructor(scope: Construct, id: string, props: StatelessProps) {
    super(scope, id);
    this.stateful = props.stateful;

    this.userPool = this.createUserPool(props.stage);
    this.userPoolClient = this.userPool.addClient('AppClient', {
      // The field app signs in through managed login below and needs no explicit flow; SRP (the
      // sign-in before issue 14) stays so that a script can sign in without a browser, and
      // because no explicit flows at all would let Cognito enable its defaults, custom auth too.
      authFlows: { userSrp: true },
      // A public client (the field app is a PWA): no secret to leak. PKCE protects the code
      // instead: Cognito has no switch to require it, but the app always sends an S256
      // code_challenge (web/src/auth/session.ts) and Cognito then demands the verifier.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${props.appOrigin}/auth/callback`],
        logoutUrls: [`${props.appOrigin}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // The ID token carries only what the client may read: tenant and contractor must be in.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(customAttribute(claimNames.tenant), customAttribute(claimNames.contractorId)),
      // Users may never write their own tenant or contractor (they are immutable anyway).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    const authDomainPrefix = props.authDomainPrefix ?? `xiuhua-${props.stage}`;
    this.userPoolDomain = this.createManagedLogin(authDomainPrefix);
    this.managedLoginDomain = managedLoginHost(this, authDomainPrefix);

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `xiuhua-${props.stage}`,
      description: 'xiuhua HTTP API (/v1, /open311/v2)',
      // Our own stage below: HttpApiProps has no access log or throttle settings for the default one.
      createDefaultStage: false,
    });
    this.stage = this.createStage();

    // ID tokens, not access tokens: only ID tokens carry `aud` and the custom attributes.
    const authorizer = new HttpJwtAuthorizer(
      'CognitoIdToken',
      // Built from the partition's URL suffix so the issuer is right in aws-cn too.
      `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`,
      { authorizerName: 'cognito-id-token', jwtAudience: [this.userPoolClient.userPoolClientId] },
    );
    // Explicit, so that a default authorizer added to the API later cannot close a public route.
    const noAuthorizer = new apigwv2.HttpNoneAuthorizer();

    const functions = new Map<string, LambdaFunction>();
    for (const module of props.modules ?? httpModules) {
      const moduleScope = new Construct(this, module.name);
      const fn = new LambdaFunction(moduleScope, 'Handler', {
        entry: module.entry,
        description: `xiuhua ${props.stage}: HTTP module ${module.name}`,
        // HTTP APIs give up on an integration after 30 s; end first so our own error is logged.
        timeout: Duration.seconds(28),
        environment: this.environmentFor(module.needs),
      });
      this.grant(fn, module.needs);

      const integration = new HttpLambdaIntegration(`${module.name}Integration`, fn.function);
      for (const route of module.routes) {
        const httpRoute = new apigwv2.HttpRoute(moduleScope, route.operationId, {
          httpApi: this.api,
          routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
          integration,
          authorizer: route.auth === 'jwt' ? authorizer : noAuthorizer,
        });
        if (route.auth === 'public') acknowledgePublicRoute(httpRoute, route);
        // The stage's route setting names the route: CloudFormation must create it first.
        if (route.throttle !== undefined) this.stage.node.addDependency(httpRoute);
      }
      functions.set(module.name, fn);
    }
    this.functions = functions;
    this.throttleRoutes(props.modules ?? httpModules);

    const scheduled = new Map<string, ScheduledFunction>();
    for (const handler of props.eventHandlers ?? eventHandlers) {
      // A handler the manifest runs through a state machine (the monthly close): its own construct.
      scheduled.set(handler.name, handler.stateMachine === undefined ? this.createScheduled(props.stage, handler) : this.createMonthlyClose(props.stage, handler));
    }
    this.scheduled = scheduled;

    const objectCreated = new Map<string, ObjectCreatedFunction>();
    for (const handler of props.objectCreatedHandlers ?? objectCreatedHandlers) {
      objectCreated.set(handler.name, this.createObjectCreated(props.stage, handler));
    }
    this.objectCreated = objectCreated;
  }

  /**
   * An ObjectCreated handler: its Lambda (the shared construct) with the manifest's table
   * actions and read access to the objects under its prefix only, and the bucket's
   * notification for that prefix (same stack as the bucket: no cross-stack cycle). S3 invokes
   * asynchronously; Lambda retries a failed invocation (the handler is idempotent by
   * conditional writes) and sends what still fails to an encrypted queue kept two weeks.
   */
  private createObjectCreated(stage: string, handler: ObjectCreatedHandlerManifest): ObjectCreatedFunction {
    const definition = { proofs: proofsBucket, exports: exportsBucket }[handler.bucket];
    const bucket = this.stateful.bucket(definition);
    const handlerScope = new Construct(this, handler.name);
    const fn = new LambdaFunction(handlerScope, 'Handler', {
      entry: handler.entry,
      description: `xiuhua ${stage}: S3 ObjectCreated ${handler.name}`,
      timeout: Duration.seconds(handler.timeoutSeconds),
      ...(handler.memoryMb === undefined ? {} : { memorySize: handler.memoryMb }),
      environment: { ...this.mainTableEnvironment(handler.mainTable), [definition.env]: bucket.bucketName },
    });
    this.grantMainTable(fn, handler.mainTable, handler.writesLeadingKeys);
    // GetObjectVersion: the bucket is versioned and the handler reads the version the event names.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [bucket.arnForObjects(`${handler.prefix}*`)] }),
    );
    const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${handler.prefix}*]`,
      reason:
        `${handler.name} reads whichever object S3 notifies it of, under ${handler.prefix} in the ${definition.id} bucket only ` +
        '(keys per tenant, contract and day, DESIGN §5); s3:GetObject and s3:GetObjectVersion, nothing else.',
    });
    if (handler.writesPrefix !== undefined) {
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${handler.writesPrefix}*`)] }));
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${handler.writesPrefix}*]`,
        reason: `${handler.name} writes the files it makes under ${handler.writesPrefix} in the ${definition.id} bucket only (keys per tenant, contract and month); s3:PutObject, nothing else.`,
      });
    }

    const failures = new sqs.Queue(handlerScope, 'Failures', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the on-failure destination of ${handler.name}'s asynchronous invocations; it needs no dead-letter queue of its own.`,
    });
    fn.function.configureAsyncInvoke({
      retryAttempts: handler.retryAttempts,
      // Retries come within minutes; an event still failing after hours needs a person, via the queue.
      maxEventAge: Duration.hours(6),
      onFailure: new lambdaDestinations.SqsDestination(failures),
    });
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn.function), { prefix: handler.prefix });
    acknowledgeNotificationsHandler(Stack.of(bucket));
    return { fn, failures };
  }

  /**
   * A scheduled handler: its Lambda (the shared construct) with exactly the table actions
   * the manifest names, and an EventBridge Scheduler schedule invoking it (a rate, or a daily
   * cron in a time zone when the manifest says `dailyAt`). A failed
   * invocation is retried by the scheduler (the handlers are idempotent and checkpointed);
   * what still fails lands in a dead-letter queue kept for two weeks.
   */
  private createScheduled(stage: string, handler: EventHandlerManifest): ScheduledFunction {
    const handlerScope = new Construct(this, handler.name);
    const fn = new LambdaFunction(handlerScope, 'Handler', {
      entry: handler.entry,
      description: `xiuhua ${stage}: scheduled ${handler.name}`,
      timeout: Duration.seconds(handler.timeoutSeconds),
      environment: this.mainTableEnvironment(handler.mainTable),
    });
    this.grantMainTable(fn, handler.mainTable);

    const deadLetters = new sqs.Queue(handlerScope, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the dead-letter queue of the ${handler.name} schedule (EventBridge Scheduler); a dead-letter queue needs no dead-letter queue of its own.`,
    });
    // A role of its own rather than the stack-wide one LambdaInvoke would create, so that the
    // acknowledgement below sits on this function's grant alone.
    const scheduleRole = new iam.Role(handlerScope, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `EventBridge Scheduler: invoke ${handler.name}`,
    });
    const schedule = new scheduler.Schedule(handlerScope, 'Schedule', {
      description: `xiuhua ${stage}: ${handler.description}`,
      schedule: scheduleExpressionOf(handler),
      target: new schedulerTargets.LambdaInvoke(fn.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject(handler.input),
        deadLetterQueue: deadLetters,
        retryAttempts: 3,
        // An invocation older than the period is superseded by the next one anyway.
        maxEventAge: Duration.minutes(Math.max(1, Math.min(handler.everyMinutes, 24 * 60))),
      }),
    });
    const functionId = Stack.of(fn.function).getLogicalId(fn.function.node.defaultChild as CfnFunction);
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: `lambda:InvokeFunction on the ${handler.name} function and its versions (the ':*' that grantInvoke adds); no other function.`,
    });
    return { fn, schedule, deadLetters };
  }

  /** The monthly close (infra/constructs/monthly-close.ts): Lambda, state machine, schedule. */
  private createMonthlyClose(stage: string, handler: EventHandlerManifest): ScheduledFunction {
    const close = new MonthlyClose(this, handler.name, {
      stage,
      handler,
      schedule: scheduleExpressionOf(handler),
      environment: this.mainTableEnvironment(handler.mainTable),
      grantTable: (fn) => this.grantMainTable(fn, handler.mainTable),
    });
    this.monthlyClose = close;
    return { fn: close.fn, schedule: close.schedule, deadLetters: close.deadLetters };
  }

  /**
   * Managed login (the second-generation hosted pages) on a Cognito prefix domain, with
   * Cognito's default style for the app client: without a style, managed login answers the
   * app client with an error page instead of the sign-in form.
   */
  private createManagedLogin(domainPrefix: string): cognito.UserPoolDomain {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix)) {
      throw new Error(`the managed login domain prefix must be lowercase letters, digits and inner hyphens, without aws/amazon/cognito; got ${JSON.stringify(domainPrefix)}`);
    }
    const domain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const branding = new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.userPoolClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(domain);
    return domain;
  }

  private createUserPool(stage: string): cognito.UserPool {
    const pool = new cognito.UserPool(this, 'Users', {
      userPoolName: `xiuhua-${stage}`,
      // Accounts are created by a tenant's admin, never by the public.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        // A user belongs to one tenant and, for contractor users, one contractor, for life;
        // a mistake is fixed by a new account, which keeps the audit trail honest.
        [customAttribute(claimNames.tenant)]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        [customAttribute(claimNames.contractorId)]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Finance approves payments and inspectors levy fines: a password alone is not enough.
      // TOTP only: SMS needs an SNS role and sender registration per region.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus tier: blocks sign-ins with leaked credentials and scores risky ones, for a few
      // cents per active user and month.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The users are data of record too: a destroyed stack must not take them along.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of roles) {
      new cognito.UserPoolGroup(this, `Group-${role}`, {
        userPool: pool,
        groupName: role,
        description: `xiuhua role ${role} (DESIGN §4)`,
      });
    }
    return pool;
  }

  /**
   * Each route's own throttle (RouteSpec.throttle, e.g. Open311 intake) as the stage's route
   * setting: HttpStage has no per-route throttle, its CfnStage does.
   */
  private throttleRoutes(modules: readonly HttpModuleManifest[]): void {
    // CfnStage.routeSettings is plain JSON to CDK: CloudFormation's own property names.
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of modules.flatMap((module) => module.routes)) {
      if (route.throttle === undefined) continue;
      settings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: route.throttle.rateLimit, ThrottlingBurstLimit: route.throttle.burstLimit };
    }
    if (Object.keys(settings).length === 0) return;
    (this.stage.node.defaultChild as apigwv2.CfnStage).routeSettings = settings;
  }

  private createStage(): apigwv2.HttpStage {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logRetention });
    return new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling per API so a runaway client costs throttled requests, not Lambda bills.
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            subject: `$context.authorizer.claims.${claimNames.subject}`,
          }),
        ),
      },
    });
  }

  /**
   * An event handler's environment: the main table's name, and the audit table's when it
   * writes (its writes append audit entries).
   */
  private mainTableEnvironment(actions: readonly string[]): Record<string, string> {
    const writes = actions.some((action) => writeActions.has(`dynamodb:${action}`));
    return {
      [envNames.mainTable]: this.stateful.table(mainTable).tableName,
      ...(writes ? { [envNames.auditTable]: this.stateful.table(auditTable).tableName } : {}),
    };
  }

  /**
   * An event handler's main-table actions, and PutItem on the audit table when it writes. With
   * `writesLeadingKeys`, its writes hold only on partitions whose key is like it.
   */
  private grantMainTable(fn: LambdaFunction, actions: readonly string[], writesLeadingKeys?: string): void {
    const names = actions.map((action) => `dynamodb:${action}`);
    if (writesLeadingKeys === undefined) {
      this.grantTable(fn, mainTable, names, false);
    } else {
      this.grantTable(fn, mainTable, names.filter((action) => !writeActions.has(action)), false);
      this.grantLeadingKeys(fn, names.filter((action) => writeActions.has(action)), writesLeadingKeys);
    }
    if (names.some((action) => writeActions.has(action))) this.grantTable(fn, auditTable, tableActions.auditAppend, false);
  }

  /**
   * Write actions on the main table for items whose partition key is like `pattern` only
   * (IAM's `dynamodb:LeadingKeys`): the export functions may write their job items, no record.
   */
  private grantLeadingKeys(fn: LambdaFunction, actions: readonly string[], pattern: string): void {
    if (actions.length === 0) return;
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...actions],
        resources: [this.stateful.table(mainTable).tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [pattern] } },
      }),
    );
  }

  /** Only the names of what a module may touch: a module that needs nothing learns nothing. */
  private environmentFor(needs: Needs): Record<string, string> {
    const environment: Record<string, string> = {};
    if (needs.mainTable !== 'none') environment[envNames.mainTable] = this.stateful.table(mainTable).tableName;
    if (needs.mainTable === 'readWrite' || needs.auditTable !== undefined || needs.exportJobs === true) environment[envNames.auditTable] = this.stateful.table(auditTable).tableName;
    if (needs.idempotencyTable) {
      environment[envNames.idempotencyTable] = this.stateful.table(idempotencyTable).tableName;
    }
    if (needs.proofsBucket !== undefined) environment[proofsBucket.env] = this.stateful.bucket(proofsBucket).bucketName;
    if (needs.exportsBucket !== undefined) {
      environment[exportsBucket.env] = this.stateful.bucket(exportsBucket).bucketName;
    }
    return environment;
  }

  private grant(fn: LambdaFunction, needs: Needs): void {
    if (needs.mainTable === 'read') this.grantTable(fn, mainTable, tableActions.read, true);
    if (needs.mainTable === 'readWrite') {
      this.grantTable(fn, mainTable, [...tableActions.read, ...tableActions.write], true);
      this.grantTable(fn, auditTable, tableActions.auditAppend, false);
    }
    if (needs.auditTable === 'read') this.grantTable(fn, auditTable, tableActions.auditRead, true);
    if (needs.idempotencyTable) this.grantTable(fn, idempotencyTable, tableActions.idempotency, false);
    if (needs.proofsBucket !== undefined) this.grantObjects(fn, proofsBucket, bucketActions[needs.proofsBucket]);
    if (needs.exportsBucket !== undefined) this.grantObjects(fn, exportsBucket, bucketActions[needs.exportsBucket]);
    if (needs.exportJobs === true) this.grantExportJobs(fn);
  }

  /**
   * Queuing export jobs (issue 16): PutItem of job items (their partitions only), PutObject of
   * job objects under `jobs/` (whose notification runs the export worker), and the audit
   * append every main-table writer holds.
   */
  private grantExportJobs(fn: LambdaFunction): void {
    this.grantLeadingKeys(fn, ['dynamodb:PutItem'], exportJobPartitions);
    this.grantTable(fn, auditTable, tableActions.auditAppend, false);
    const bucket: s3.Bucket = this.stateful.bucket(exportsBucket);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${exportJobsPrefix}*`)] }));
    const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${exportJobsPrefix}*]`,
      reason: `Job objects are keyed per tenant and job under ${exportJobsPrefix} of the exports bucket; s3:PutObject there, nothing else.`,
    });
  }

  /** Item actions on the table; Query on each index by name, so no `index/*` wildcard. */
  private grantTable(
    fn: LambdaFunction,
    definition: TableDefinition,
    actions: readonly string[],
    withIndexes: boolean,
  ): void {
    const table: dynamodb.Table = this.stateful.table(definition);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn] }));
    if (withIndexes && definition.globalSecondaryIndexes.length > 0) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
        }),
      );
    }
  }

  /**
   * Object actions on one bucket under its key prefix; keys are per tenant and contract, so
   * the resource ends in `/<prefix>*`.
   */
  private grantObjects(fn: LambdaFunction, definition: BucketDefinition, actions: readonly string[]): void {
    const bucket: s3.Bucket = this.stateful.bucket(definition);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [bucket.arnForObjects(`${definition.keyPrefix}*`)] }));
    const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${definition.keyPrefix}*]`,
      reason:
        `Object keys in the ${definition.id} bucket are per tenant, contract and day (DESIGN §5); the ` +
        `grant is limited to this one bucket and to ${actions.join(', ')}.`,
    });
  }
}

/**
 * `<prefix>.auth.<region>.amazoncognito.com`, or `.amazoncognito.com.cn` in the aws-cn
 * partition. The China suffix is what third-party code targeting cn-north-1 uses; AWS's China
 * documentation (docs.amazonaws.cn, "Amazon Cognito") says user pools are not yet available in
 * the Beijing region, so neither could be checked: verify before the first deployment there.
 * (UserPoolDomain.baseUrl() always says amazoncognito.com, hence this function.)
 */
function managedLoginHost(scope: Construct, prefix: string): string {
  const stack = Stack.of(scope);
  const id = 'IsChinaPartition';
  const isChina = (stack.node.tryFindChild(id) as CfnCondition | undefined) ?? new CfnCondition(stack, id, { expression: Fn.conditionEquals(Aws.PARTITION, 'aws-cn') });
  return `${prefix}.auth.${Aws.REGION}.${Fn.conditionIf(isChina.logicalId, 'amazoncognito.com.cn', 'amazoncognito.com').toString()}`;
}

/** The manifest's schedule: a daily cron in its zone when `dailyAt` is given, else a rate. */
export function scheduleExpressionOf(handler: EventHandlerManifest): scheduler.ScheduleExpression {
  if (handler.monthlyAt !== undefined) {
    const { day, hour, minute, timeZone } = handler.monthlyAt;
    return scheduler.ScheduleExpression.cron({ minute: String(minute), hour: String(hour), day: String(day), timeZone: TimeZone.of(timeZone) });
  }
  if (handler.dailyAt === undefined) return scheduler.ScheduleExpression.rate(Duration.minutes(handler.everyMinutes));
  const { hour, minute, timeZone } = handler.dailyAt;
  return scheduler.ScheduleExpression.cron({ minute: String(minute), hour: String(hour), timeZone: TimeZone.of(timeZone) });
}

/**
 * addEventNotification puts the bucket's notification configuration through the CDK's own
 * singleton custom resource (BucketNotificationsHandler…), whose role the CDK builds with the
 * managed basic-execution policy and offers no way to replace.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role');
  if (role === undefined) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "The CDK's BucketNotificationsHandler (it writes the proofs bucket's notification configuration at deploy time) " +
      'comes with the managed basic-execution policy for its own logs; the CDK offers no way to give it another role.',
  });
}

function acknowledgePublicRoute(route: apigwv2.HttpRoute, spec: RouteSpec): void {
  Validations.of(route).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `${spec.method} ${spec.path} is public by design (manifest auth: 'public'): ${spec.summary}.`,
  });
}
