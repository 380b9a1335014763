import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createApp, type CreateAppOptions, type XiuhuaApp } from '../../infra/app';
import type { LambdaFunction } from '../../infra/constructs/lambda';

/** A synthesised app: the construct tree, its cloud assembly and the stack's template. */
export interface Synthesised extends XiuhuaApp {
  readonly assembly: CloudAssembly;
  readonly template: Template;
  /** The template's resources, for the checks `Template` has no matcher for. */
  readonly resources: Readonly<Record<string, CfnResourceJson>>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/**
 * Synthesises the app once, the way `cdk synth` does (bundles included unless the options'
 * context skips them), and reads the template from the cloud assembly.
 */
export function synthesise(options: CreateAppOptions = {}): Synthesised {
  const built = createApp({ stage: 'test', ...options });
  const assembly = built.app.synth();
  const json = assembly.getStackArtifact(built.stack.artifactId).template as {
    Resources: Record<string, CfnResourceJson>;
  };
  return { ...built, assembly, template: Template.fromJSON(json), resources: json.Resources };
}

/** Resources of one CloudFormation type, by logical id. */
export function resourcesOfType(
  resources: Readonly<Record<string, CfnResourceJson>>,
  type: string,
): [string, CfnResourceJson][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/**
 * Synthesis with bundling takes seconds, more on a busy CI machine; vitest's default hook
 * timeout (10 s) is too short for a `beforeAll` that synthesises.
 */
export const synthTimeoutMs = 120_000;

/** Context that skips esbuild, for tests about the template only. */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] } as const;

/** One statement of an IAM policy document, as synthesised. */
export interface PolicyStatement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

/** Every function of the stack, by a readable name (HTTP modules, scheduled, object-created). */
export function stackFunctions(synth: Synthesised): [string, LambdaFunction][] {
  const { stateless } = synth.stack;
  return [
    ...[...stateless.functions].map(([name, fn]): [string, LambdaFunction] => [`http ${name}`, fn]),
    ...[...stateless.scheduled].map(([name, deployed]): [string, LambdaFunction] => [`scheduled ${name}`, deployed.fn]),
    ...[...stateless.objectCreated].map(([name, deployed]): [string, LambdaFunction] => [`object-created ${name}`, deployed.fn]),
  ];
}

/** The statements of every policy attached to the function's role. */
export function policyStatementsOf(synth: Synthesised, fn: LambdaFunction): PolicyStatement[] {
  const roleId = synth.stack.getLogicalId(fn.role.node.defaultChild as CfnRole);
  return resourcesOfType(synth.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.['Roles'] as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement);
}

export const actionsOfStatement = (statement: PolicyStatement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
