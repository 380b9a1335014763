import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
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
  readonly DependsOn?: string | string[];
}

/**
 * Synthesises the app once, the way `cdk synth` does (bundles included unless the options'
 * context skips them), and reads the template from the cloud assembly. The field app's build
 * is left out unless the options name one (`webDist`): whether web/dist happens to be built on
 * this machine must not change what the tests see (test/infra/web.test.ts deploys a fixture).
 */
export function synthesise(options: CreateAppOptions = {}): Synthesised {
  const built = createApp({ stage: 'test', webDist: null, ...options });
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

/**
 * A built field app as `npm run build:web` lays it out (index.html, sw.js, the manifest,
 * hashed assets under assets/), in a fresh temporary directory.
 */
export function webDistFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xiuhua-web-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>绣花</title><script type="module" src="/assets/index-Bb3IV6zz.js"></script>');
  writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(path.join(dir, 'manifest.webmanifest'), '{"name":"绣花"}');
  writeFileSync(path.join(dir, 'assets', 'index-Bb3IV6zz.js'), 'console.log("app");');
  return dir;
}

/**
 * The resources of a dependency cycle in the template (Ref, Fn::GetAtt, Fn::Sub and DependsOn
 * between resources), or [] when there is none: CloudFormation refuses a cyclic template at
 * deployment, which synthesis does not notice.
 */
export function dependencyCycle(resources: Readonly<Record<string, CfnResourceJson>>): string[] {
  const ids = new Set(Object.keys(resources));
  const edges = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item, into);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && ids.has(inner)) into.add(inner);
        else if (key === 'Fn::GetAtt') {
          const target = Array.isArray(inner) ? inner[0] : typeof inner === 'string' ? inner.split('.')[0] : undefined;
          if (typeof target === 'string' && ids.has(target)) into.add(target);
        } else if (key === 'Fn::Sub') {
          const text = Array.isArray(inner) ? inner[0] : inner;
          for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) if (match[1] !== undefined && ids.has(match[1])) into.add(match[1]);
          if (Array.isArray(inner)) collect(inner[1], into);
        } else collect(inner, into);
      }
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>();
    collect(resource.Properties ?? {}, targets);
    for (const dependency of [resource.DependsOn ?? []].flat()) targets.add(dependency);
    edges.set(id, targets);
  }
  // Depth-first search; a node met again while still on the path closes a cycle.
  const state = new Map<string, 'open' | 'done'>();
  const pathStack: string[] = [];
  const visit = (id: string): string[] => {
    state.set(id, 'open');
    pathStack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'open') return [...pathStack.slice(pathStack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle.length > 0) return cycle;
      }
    }
    pathStack.pop();
    state.set(id, 'done');
    return [];
  };
  for (const id of ids) {
    if (state.get(id) !== undefined) continue;
    const cycle = visit(id);
    if (cycle.length > 0) return cycle;
  }
  return [];
}
