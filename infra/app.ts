import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { HttpModuleManifest } from '../functions/shared/route';
import { XiuhuaStack } from './xiuhua-stack';

/**
 * Feature flags this app depends on, pinned here rather than taken from "currently
 * recommended" so that a CDK upgrade cannot silently change how tables or buckets are
 * synthesised. The CLI's context (cdk.json, -c) still overrides them.
 */
export const featureFlags: Readonly<Record<string, unknown>> = {
  // Access logs are delivered under a bucket policy, so every bucket can keep ACLs disabled.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
  // The service is meant for Chinese districts: region facts must cover aws-cn too.
  '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
};

const stagePattern = /^[a-z][a-z0-9-]{0,19}$/;

export interface CreateAppOptions {
  /** Overrides the `stage` context (cdk.json says `dev`; deploy with `-c stage=prod`). */
  readonly stage?: string;
  /** The HTTP modules to deploy; the manifest unless a test passes its own. */
  readonly modules?: readonly HttpModuleManifest[];
  /** Register cdk-nag's AwsSolutions pack, so that a violation fails synthesis. Default true. */
  readonly nag?: boolean;
  /** Extra context, e.g. `aws:cdk:bundling-stacks` in tests that need no bundles. */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * CDK's own check of the templates against the CloudFormation schemas. Default true; tests
   * that only read the template turn it off, it costs seconds per synthesis.
   */
  readonly builtinCloudFormationValidation?: boolean;
}

export interface XiuhuaApp {
  readonly app: App;
  readonly stack: XiuhuaStack;
  readonly stage: string;
}

/**
 * Builds the CDK app: one environment-agnostic stack per stage, so synthesis needs neither
 * credentials nor account lookups.
 */
export function createApp(options: CreateAppOptions = {}): XiuhuaApp {
  const app = new App({
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? true,
    context: {
      ...featureFlags,
      ...(options.stage === undefined ? {} : { stage: options.stage }),
      ...options.context,
    },
  });
  const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !stagePattern.test(stage)) {
    throw new Error(`context "stage" must match ${stagePattern.source}, got ${JSON.stringify(stage)}`);
  }

  const stack = new XiuhuaStack(app, `xiuhua-${stage}`, {
    stage,
    description: `xiuhua (${stage}): tables, buckets, user pool, HTTP API and functions`,
    ...(options.modules === undefined ? {} : { modules: options.modules }),
  });
  Tags.of(app).add('project', 'xiuhua');
  Tags.of(app).add('stage', stage);

  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, stage };
}

// Only the CDK CLI sets CDK_OUTDIR: tests import createApp without synthesising anything.
if (process.env.CDK_OUTDIR !== undefined) {
  createApp().app.synth();
}
