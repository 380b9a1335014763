import { Validations, type PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import * as z from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type XiuhuaApp } from '../../infra/app';
import { httpModules } from '../../functions/http/manifest';
import type { HttpModuleManifest } from '../../functions/shared/route';
import { skipBundling, synthTimeoutMs, webDistFixture } from './support';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: unknown;
}

/** Every `Validations.of(x).acknowledge()` in the tree, where it was made and why. */
function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          // aws-cdk-lib qualifies the id with the namespace it assumes: `Annotation::`.
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * The AwsSolutions findings as if nothing were acknowledged. cdk-nag 3 offers no switch for
 * this, so the private acknowledgement lookup is replaced on this one instance.
 */
function rawFindings(root: IConstruct): PolicyViolation[] {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return [...pack.validateScope(root).violations];
}

const describeViolations = (violations: readonly PolicyViolation[]): string[] =>
  violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));

/** A module needing every kind of grant, so that the bucket acknowledgements are exercised. */
const everyNeed: HttpModuleManifest = {
  name: 'everyneed',
  entry: 'functions/http/meta/index.ts',
  routes: [
    {
      operationId: 'everyNeed',
      method: 'POST',
      path: '/v1/every-need',
      summary: 'probe',
      tags: ['probe'],
      auth: 'jwt',
      success: { status: 200, description: 'ok', schema: z.object({}) },
      problems: [],
    },
  ],
  needs: { mainTable: 'readWrite', idempotencyTable: true, proofsBucket: 'readWrite', exportsBucket: 'readWrite' },
};

/** The field app's domain with China's kind of certificate (IAM), as a cn-north-1 deployment needs. */
const chinaDomain = { webDomain: 'xiuhua.example.gov.cn', webCertificate: 'ASCAEXAMPLE0123456789' } as const;
/** The same with an ACM certificate, as in the other partitions: TLS 1.2 on the L2, nothing to acknowledge. */
const acmDomain = { webDomain: 'xiuhua.example.com', webCertificate: 'arn:aws:acm:us-east-1:123456789012:certificate/0f4c2d1e-1111-2222-3333-444455556666' } as const;

describe.each([
  ['the manifest', undefined, null, {}],
  ['the manifest plus a module with every need', [...httpModules, everyNeed], null, {}],
  // BucketDeployment brings the CDK's own handler, with its own findings.
  ['the manifest with the field app built and deployed', undefined, webDistFixture(), {}],
  ['the manifest with the field app on its own domain (IAM certificate)', undefined, webDistFixture(), chinaDomain],
  ['the manifest with the field app on its own domain (ACM certificate)', undefined, null, acmDomain],
] as const)('cdk-nag AwsSolutions on %s', (_label, modules, webDist, context) => {
  let built: XiuhuaApp;

  beforeAll(() => {
    built = createApp({
      stage: 'test',
      nag: false,
      builtinCloudFormationValidation: false,
      context: { ...skipBundling, ...context },
      webDist,
      ...(modules === undefined ? {} : { modules }),
    });
  }, synthTimeoutMs);

  it('finds no unacknowledged violation, error or warning', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(built.app);

    // Assess
    expect(describeViolations(report.violations)).toEqual([]);
  });

  it('has a specific reason for every acknowledgement', () => {
    // Act
    const acknowledgements = acknowledgementsIn(built.app);

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(typeof acknowledgement.reason, `${acknowledgement.id} at ${acknowledgement.path}`).toBe('string');
      expect(String(acknowledgement.reason).trim().length, `${acknowledgement.id} at ${acknowledgement.path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges only findings that exist, on the construct that has them', () => {
    // Prepare
    const findings = rawFindings(built.app).flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );

    // Act: an acknowledgement is used when a finding of its id sits at or below its path.
    const unused = acknowledgementsIn(built.app).filter(
      (ack) => !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );

    // Assess
    expect(unused.map((ack) => `${ack.id} at ${ack.path}`)).toEqual([]);
  });
});

describe('cdk synth with the nag pack registered, as the CLI runs it', () => {
  it('synthesises and passes CloudFormation validation and cdk-nag without a violation', () => {
    // Prepare: bundles are left out, stateless.test.ts builds and checks them; the field app's
    // build is a fixture, so the deployment's handler is checked whether web/dist is built or not.
    const { app } = createApp({ stage: 'test', context: skipBundling, webDist: webDistFixture() });

    // Act
    const synthesise = (): unknown => app.synth();

    // Assess: a violation would throw "Validation failed" here (CDK's in-memory mode).
    expect(synthesise).not.toThrow();
  });
});
