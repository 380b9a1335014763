import * as path from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { HttpModuleManifest } from '../functions/shared/route';
import { projectRoot } from './constructs/lambda';
import type { WebDomain, WebTileSource } from './web';
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
  /**
   * The built field app to deploy; default web/dist (deployed only when `npm run build:web`
   * has written its index.html). `null`: no deployment, whatever is on disk.
   */
  readonly webDist?: string | null;
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

  const webDomain = webDomainFrom(app);
  const mapTiles = mapTilesFrom(app);
  const authDomainPrefix: unknown = app.node.tryGetContext('authDomainPrefix');
  if (authDomainPrefix !== undefined && typeof authDomainPrefix !== 'string') throw new Error('context "authDomainPrefix" must be a string');
  const webDist = options.webDist === undefined ? path.join(projectRoot, 'web', 'dist') : options.webDist;

  const stack = new XiuhuaStack(app, `xiuhua-${stage}`, {
    stage,
    description: `xiuhua (${stage}): tables, buckets, user pool, HTTP API, functions and the field app`,
    ...(options.modules === undefined ? {} : { modules: options.modules }),
    ...(webDomain === undefined ? {} : { webDomain }),
    ...(mapTiles === undefined ? {} : { mapTiles }),
    ...(webDist === null ? {} : { webDist }),
    ...(authDomainPrefix === undefined ? {} : { authDomainPrefix }),
  });
  Tags.of(app).add('project', 'xiuhua');
  Tags.of(app).add('stage', stage);

  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, stage };
}

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The field app's domain from context: `-c webDomain=xiuhua.example.gov.cn -c webCertificate=…`
 * (an ACM ARN in us-east-1, or an IAM server certificate id in AWS China). Both or neither.
 */
function webDomainFrom(app: App): WebDomain | undefined {
  const name: unknown = app.node.tryGetContext('webDomain');
  const certificate: unknown = app.node.tryGetContext('webCertificate');
  if (name === undefined && certificate === undefined) return undefined;
  if (typeof name !== 'string' || !hostnamePattern.test(name)) throw new Error(`context "webDomain" must be a lowercase host name, got ${JSON.stringify(name)}`);
  if (typeof certificate !== 'string' || certificate === '') throw new Error('context "webCertificate" is required with "webDomain" (an ACM certificate ARN or an IAM server certificate id)');
  return { name, certificate };
}

/** Map tiles from context `mapTiles`: an object in cdk.json, or its JSON with -c. */
function mapTilesFrom(app: App): WebTileSource | undefined {
  const raw: unknown = app.node.tryGetContext('mapTiles');
  if (raw === undefined) return undefined;
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const tiles = value as Partial<WebTileSource> | null;
  if (tiles === null || typeof tiles !== 'object' || typeof tiles.url !== 'string' || typeof tiles.attribution !== 'string' || (tiles.datum !== 'wgs84' && tiles.datum !== 'gcj02')) {
    throw new Error('context "mapTiles" must be {url, attribution, datum: "wgs84" | "gcj02", subdomains?}');
  }
  return { url: tiles.url, attribution: tiles.attribution, datum: tiles.datum, ...(typeof tiles.subdomains === 'string' ? { subdomains: tiles.subdomains } : {}) };
}

// Only the CDK CLI sets CDK_OUTDIR: tests import createApp without synthesising anything.
if (process.env.CDK_OUTDIR !== undefined) {
  createApp().app.synth();
}
