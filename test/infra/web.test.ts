import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { CfnUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { exportsBucket, proofsBucket } from '../../infra/definitions';
import { appConfigKey, contentSecurityPolicy, spaRewriteSource, tileOrigin } from '../../infra/web';
import { dependencyCycle, resourcesOfType, skipBundling, synthesise, synthTimeoutMs, webDistFixture, type CfnResourceJson, type Synthesised } from './support';

/**
 * The field app's hosting (issue 14, infra/web.ts): a private bucket behind CloudFront with
 * origin access control, the API on the same distribution, the SPA fallback, security headers,
 * the build's deployment, and what it needs elsewhere (the proofs bucket's CORS rule, the app
 * client's OAuth code flow and managed login).
 */

const quiet = { nag: false, builtinCloudFormationValidation: false, context: skipBundling } as const;

/** AWS's managed policies, by the ids CloudFront documents. */
const managed = {
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
};

interface Behaviour {
  readonly PathPattern?: string;
  readonly TargetOriginId: string;
  readonly AllowedMethods: string[];
  readonly CachePolicyId: unknown;
  readonly OriginRequestPolicyId?: string;
  readonly ResponseHeadersPolicyId?: unknown;
  readonly ViewerProtocolPolicy: string;
  readonly FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}

interface DistributionConfig {
  readonly DefaultCacheBehavior: Behaviour;
  readonly CacheBehaviors: Behaviour[];
  readonly Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown; CustomOriginConfig?: Record<string, unknown> }[];
  readonly DefaultRootObject: string;
  readonly Logging: { Bucket: unknown; Prefix: string };
  readonly Aliases?: string[];
  readonly ViewerCertificate?: Record<string, unknown>;
  readonly CustomErrorResponses?: unknown;
}

const logicalIdOf = (synth: Synthesised, construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.getLogicalId(construct.node.defaultChild as CfnElement);

function distributionOf(synth: Synthesised): { id: string; config: DistributionConfig } {
  const id = synth.stack.getLogicalId(synth.stack.web.distribution.node.defaultChild as CfnDistribution);
  const resource = synth.resources[id];
  if (resource === undefined) throw new Error('no distribution in the template');
  return { id, config: resource.Properties?.['DistributionConfig'] as DistributionConfig };
}

function only(resources: [string, CfnResourceJson][], what: string): CfnResourceJson {
  if (resources.length !== 1 || resources[0] === undefined) throw new Error(`expected one ${what}, found ${resources.length}`);
  return resources[0][1];
}

const distributionDomain = (synth: Synthesised): unknown => ({ 'Fn::GetAtt': [distributionOf(synth).id, 'DomainName'] });

describe('the field app on CloudFront (no app domain configured)', () => {
  let synth: Synthesised;

  beforeAll(() => {
    synth = synthesise(quiet);
  }, synthTimeoutMs);

  describe('the site bucket', () => {
    it('blocks all public access, encrypts, enforces ownership and logs its access to the access log bucket', () => {
      // Act
      const bucket = synth.resources[logicalIdOf(synth, synth.stack.web.bucket)];

      // Assess
      expect(bucket?.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(synth, synth.stack.stateful.accessLogs) }, LogFilePrefix: 'web/' },
      });
    });

    it('lets CloudFront read objects only on behalf of this distribution (AWS:SourceArn), and denies requests without TLS', () => {
      // Prepare
      const bucketId = logicalIdOf(synth, synth.stack.web.bucket);
      const { id: distributionId } = distributionOf(synth);

      // Assess
      synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            {
              Action: 's3:GetObject',
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
              Condition: {
                StringEquals: {
                  'AWS:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]],
                  },
                },
              },
            },
          ]),
        },
      });
    });
  });

  describe('the distribution', () => {
    it('reads the site bucket through an origin access control that signs every request', () => {
      // Prepare
      const { config } = distributionOf(synth);
      const [[oacId, oac] = []] = resourcesOfType(synth.resources, 'AWS::CloudFront::OriginAccessControl');
      const siteOrigin = config.Origins.find((origin) => JSON.stringify(origin.DomainName).includes(logicalIdOf(synth, synth.stack.web.bucket)));

      // Assess
      expect(oac?.Properties?.['OriginAccessControlConfig']).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
      expect(siteOrigin?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
      // No origin access identity: OAC replaces it.
      expect(siteOrigin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      expect(resourcesOfType(synth.resources, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
    });

    it('serves index.html at / and sends app routes to it with the SPA function, not with error responses', () => {
      // Prepare
      const { config } = distributionOf(synth);
      const functionId = synth.stack.getLogicalId(synth.stack.web.spaRewrite.node.defaultChild as CfnElement);

      // Assess
      expect(config.DefaultRootObject).toBe('index.html');
      expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
      // Error responses would also rewrite the API's 403 and 404 answers.
      expect(config.CustomErrorResponses).toBeUndefined();
      expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], CachePolicyId: managed.cachingOptimized });
    });

    it.each(['/v1/*', '/open311/*'])('routes %s to the HTTP API: no caching, every method, every viewer header but Host', (pattern) => {
      // Prepare
      const { config } = distributionOf(synth);
      const apiId = synth.stack.getLogicalId(synth.stack.stateless.api.node.defaultChild as CfnElement);

      // Act
      const behaviour = config.CacheBehaviors.find((candidate) => candidate.PathPattern === pattern);
      const origin = config.Origins.find((candidate) => candidate.Id === behaviour?.TargetOriginId);

      // Assess
      expect(behaviour).toMatchObject({
        CachePolicyId: managed.cachingDisabled,
        OriginRequestPolicyId: managed.allViewerExceptHostHeader,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
      });
      expect(behaviour?.FunctionAssociations).toBeUndefined();
      expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      // The domain of the stage's URL, https://<api id>.execute-api.<region>.<suffix>/.
      expect(JSON.stringify(origin?.DomainName)).toContain(`{"Ref":"${apiId}"},".execute-api."`);
      expect(origin?.OriginAccessControlId).toBeUndefined();
    });

    it('caches the hashed assets for a year, and nothing else routes past the three behaviours', () => {
      // Prepare
      const { config } = distributionOf(synth);
      const assets = config.CacheBehaviors.find((candidate) => candidate.PathPattern === '/assets/*');
      const policy = synth.resources[(assets?.CachePolicyId as { Ref: string }).Ref];

      // Assess
      expect(config.CacheBehaviors.map((behaviour) => behaviour.PathPattern).sort()).toEqual(['/assets/*', '/open311/*', '/v1/*']);
      expect(assets?.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
      expect(policy?.Properties?.['CachePolicyConfig']).toMatchObject({
        DefaultTTL: 365 * 24 * 3600,
        MaxTTL: 365 * 24 * 3600,
        ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true, QueryStringsConfig: { QueryStringBehavior: 'none' } },
      });
    });

    it('answers every behaviour with the security headers', () => {
      // Prepare
      const { config } = distributionOf(synth);
      const policyId = synth.stack.getLogicalId(synth.stack.web.securityHeaders.node.defaultChild as CfnElement);

      // Act
      const security = synth.resources[policyId]?.Properties?.['ResponseHeadersPolicyConfig'] as { SecurityHeadersConfig: Record<string, unknown> };

      // Assess
      for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      expect(security.SecurityHeadersConfig).toMatchObject({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
        ContentSecurityPolicy: { Override: true },
      });
    });

    it('writes its standard logs to a bucket of their own that keeps ACLs (CloudFront needs them), retained 400 days', () => {
      // Prepare
      const { config } = distributionOf(synth);
      const logsId = logicalIdOf(synth, synth.stack.web.logBucket);
      const logs = synth.resources[logsId];

      // Assess
      expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
      expect(logs?.Properties).toMatchObject({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(synth, synth.stack.stateful.accessLogs) }, LogFilePrefix: 'web-request-logs/' },
        LifecycleConfiguration: { Rules: expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 400 })]) },
      });
      expect(logs?.DeletionPolicy).toBe('Retain');
    });

    it('uses its default certificate when no app domain is configured', () => {
      // Assess
      const { config } = distributionOf(synth);
      expect(config.Aliases).toBeUndefined();
      expect(config.ViewerCertificate).toBeUndefined();
    });
  });

  describe('the content security policy', () => {
    const csp = (): string => JSON.stringify(synth.resources[synth.stack.getLogicalId(synth.stack.web.securityHeaders.node.defaultChild as CfnElement)]?.Properties);

    it('allows scripts, styles and workers from the app only, and no framing', () => {
      // Act
      const policy = contentSecurityPolicy({ proofs: 'https://proofs.example', auth: 'https://auth.example', tiles: [] });

      // Assess
      expect(policy.split('; ')).toEqual(
        expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "worker-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]),
      );
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
    });

    it('lets the app load blob:, data: and presigned images, and fetch the proofs endpoint and Cognito', () => {
      // Act
      const policy = contentSecurityPolicy({ proofs: 'https://proofs.example', auth: 'https://auth.example', tiles: ['https://*.tiles.example'] });

      // Assess
      expect(policy.split('; ')).toEqual(
        expect.arrayContaining([
          "img-src 'self' blob: data: https://proofs.example https://*.tiles.example",
          "connect-src 'self' https://proofs.example https://auth.example",
        ]),
      );
    });

    it('names the regional S3 endpoint and the managed login domain in the template (the S3 wildcard while no domain is configured)', () => {
      // Assess: the exact bucket would make a cycle with the bucket's CORS rule (see infra/web.ts).
      expect(csp()).toContain('img-src \'self\' blob: data: https://*.s3.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}');
      expect(csp()).toContain('" https://xiuhua-test.auth.",{"Ref":"AWS::Region"},".",{"Fn::If":["IsChinaPartition","amazoncognito.com.cn","amazoncognito.com"]}');
    });

    it('turns a tile URL template into the origin it loads from', () => {
      // Assess
      expect(tileOrigin('https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=abc&TILEMATRIX={z}')).toBe('https://*.tianditu.gov.cn');
      expect(tileOrigin('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}')).toBe('https://*.is.autonavi.com');
      expect(tileOrigin('https://tiles.example.cn/{z}/{x}/{y}.png')).toBe('https://tiles.example.cn');
      expect(() => tileOrigin('http://tiles.example.cn/{z}/{x}/{y}.png')).toThrow(/https/);
      expect(() => tileOrigin('https://a.{s}.example.cn/{z}')).toThrow(/first label/);
    });
  });

  describe('the SPA rewrite', () => {
    const handler = new Function(`${spaRewriteSource}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    const rewrite = (uri: string): string => handler({ request: { uri } }).uri;

    it('is the function on the default behaviour, on CloudFront Functions runtime 2.0', () => {
      // Act
      const fn = only(resourcesOfType(synth.resources, 'AWS::CloudFront::Function'), 'CloudFront function');

      // Assess
      expect(fn.Properties).toMatchObject({ FunctionCode: spaRewriteSource, FunctionConfig: { Runtime: 'cloudfront-js-2.0' }, AutoPublish: true });
    });

    it.each(['/', '/tasks', '/tasks/01HZX3/proof', '/auth/callback', '/inspections/'])('sends the app route %s to /index.html', (uri) => {
      // Assess
      expect(rewrite(uri)).toBe('/index.html');
    });

    it.each(['/index.html', '/sw.js', `/${appConfigKey}`, '/manifest.webmanifest', '/assets/index-Bb3IV6zz.js', '/assets/leaflet-x1.css'])('passes the file %s through', (uri) => {
      // Assess
      expect(rewrite(uri)).toBe(uri);
    });
  });

  describe('the proofs bucket', () => {
    it('answers CORS for presigned POSTs from the app origin only: POST, any header, 3000 s', () => {
      // Act
      const proofs = synth.resources[logicalIdOf(synth, synth.stack.stateful.bucket(proofsBucket))];

      // Assess
      expect(proofs?.Properties?.['CorsConfiguration']).toEqual({
        CorsRules: [
          {
            Id: 'field-app-presigned-post',
            AllowedMethods: ['POST'],
            AllowedOrigins: [{ 'Fn::Join': ['', ['https://', distributionDomain(synth)]] }],
            AllowedHeaders: ['*'],
            MaxAge: 3000,
          },
        ],
      });
      expect(JSON.stringify(proofs?.Properties?.['CorsConfiguration'])).not.toContain('PUT');
    });

    it('is the only bucket with CORS', () => {
      // Act
      const withCors = resourcesOfType(synth.resources, 'AWS::S3::Bucket').filter(([, bucket]) => bucket.Properties?.['CorsConfiguration'] !== undefined);

      // Assess
      expect(withCors.map(([id]) => id)).toEqual([logicalIdOf(synth, synth.stack.stateful.bucket(proofsBucket))]);
      expect(synth.resources[logicalIdOf(synth, synth.stack.stateful.bucket(exportsBucket))]?.Properties?.['CorsConfiguration']).toBeUndefined();
    });
  });

  describe('Cognito managed login for the app', () => {
    const client = (): Record<string, unknown> => synth.resources[synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient)]?.Properties ?? {};
    const underApp = (suffix: string): unknown => ({ 'Fn::Join': ['', ['https://', distributionDomain(synth), suffix]] });

    it('has the app client use the authorization code flow, without a secret, back to the app', () => {
      // Assess
      expect(client()).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        CallbackURLs: [underApp('/auth/callback')],
        LogoutURLs: [underApp('/')],
        PreventUserExistenceErrors: 'ENABLED',
      });
    });

    it('issues ID and access tokens for an hour and refresh tokens for 30 days', () => {
      // Assess
      expect(client()).toMatchObject({
        IdTokenValidity: 60,
        AccessTokenValidity: 60,
        RefreshTokenValidity: 30 * 24 * 60,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      });
    });

    it('serves managed login (version 2) on the stage prefix domain, with Cognito\'s style for the app client', () => {
      // Prepare
      const pool = synth.stack.getLogicalId(synth.stack.stateless.userPool.node.defaultChild as CfnElement);
      const clientId = synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient);

      // Assess
      synth.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'xiuhua-test', ManagedLoginVersion: 2, UserPoolId: { Ref: pool } });
      synth.template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UserPoolId: { Ref: pool }, ClientId: { Ref: clientId }, UseCognitoProvidedValues: true });
    });

    it('keeps the API authorizer on ID tokens for this app client', () => {
      // Assess
      const clientId = synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient);
      synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Audience: [{ Ref: clientId }] } });
    });
  });

  it('has no dependency cycle, though the app client and the proofs bucket name the distribution', () => {
    // Prepare: the check itself finds a cycle through Ref, Fn::GetAtt, Fn::Sub and DependsOn.
    const cyclic = {
      A: { Type: 'T', Properties: { X: { Ref: 'B' } } },
      B: { Type: 'T', Properties: { Y: { 'Fn::Sub': 'https://${C.DomainName}/' } } },
      C: { Type: 'T', Properties: { Z: { 'Fn::GetAtt': ['D', 'Arn'] } } },
      D: { Type: 'T', DependsOn: ['A'] },
    };
    expect(dependencyCycle(cyclic)).toEqual(['A', 'B', 'C', 'D', 'A']);

    // Assess
    expect(dependencyCycle(synth.resources)).toEqual([]);
  });

  it('outputs the app URL, the managed login domain and the app client id', () => {
    // Act
    const outputs = synth.template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;

    // Assess
    expect(outputs['WebUrl']?.Value).toEqual({ 'Fn::Join': ['', ['https://', distributionDomain(synth)]] });
    expect(JSON.stringify(outputs['ManagedLoginDomain']?.Value)).toContain('xiuhua-test.auth.');
    expect(outputs['UserPoolClientId']?.Value).toEqual({ Ref: synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient) });
  });

  it('deploys nothing when no build is given', () => {
    // Assess
    expect(synth.stack.web.deployments).toEqual([]);
    expect(resourcesOfType(synth.resources, 'Custom::CDKBucketDeployment')).toEqual([]);
  });
});

describe('the build deployment', () => {
  it('deploys nothing when the directory has no index.html (web/dist not built)', () => {
    // Act
    const synth = synthesise({ ...quiet, webDist: mkdtempSync(path.join(tmpdir(), 'xiuhua-empty-dist-')) });

    // Assess
    expect(resourcesOfType(synth.resources, 'Custom::CDKBucketDeployment')).toEqual([]);
  }, synthTimeoutMs);

  describe('of a built app', () => {
    let synth: Synthesised;
    let deployments: [string, CfnResourceJson][];

    beforeAll(() => {
      synth = synthesise({ ...quiet, webDist: webDistFixture() });
      deployments = resourcesOfType(synth.resources, 'Custom::CDKBucketDeployment');
    }, synthTimeoutMs);

    const deployment = (prefix: string | undefined): Record<string, unknown> => {
      const found = deployments.find(([, resource]) => resource.Properties?.['DestinationBucketKeyPrefix'] === prefix);
      if (found === undefined) throw new Error(`no deployment with prefix ${prefix}`);
      return found[1].Properties ?? {};
    };

    it('copies the hashed assets into assets/, cached a year, never pruned', () => {
      // Assess
      expect(deployments).toHaveLength(2);
      expect(deployment('assets/')).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(synth, synth.stack.web.bucket) },
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
    });

    it('then the rest with no-cache and the app config, pruning all but assets/, and invalidates the distribution', () => {
      // Prepare
      const site = deployment(undefined);
      const [assetsId] = deployments.find(([, resource]) => resource.Properties?.['DestinationBucketKeyPrefix'] === 'assets/') ?? [];
      const siteResource = deployments.find(([, resource]) => resource.Properties?.['DestinationBucketKeyPrefix'] === undefined)?.[1];

      // Assess
      expect(site).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(synth, synth.stack.web.bucket) },
        Prune: true,
        Exclude: ['assets/*'],
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionId: { Ref: distributionOf(synth).id },
        DistributionPaths: ['/*'],
      });
      expect([siteResource?.DependsOn ?? []].flat()).toContain(assetsId);
    });

    it("writes app-config.json with the app client, the managed login domain and the app's callback", () => {
      // Act: Source.jsonData leaves deploy-time values as markers resolved by the deployment.
      const markers = JSON.stringify((deployment(undefined)['SourceMarkers'] as unknown[])[1]);
      const clientId = synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient);

      // Assess
      expect(markers).toContain(JSON.stringify({ Ref: clientId }));
      expect(markers).toContain(JSON.stringify(distributionDomain(synth)));
      expect(markers).toContain('IsChinaPartition');
    });

    it('has no dependency cycle with the deployment either', () => {
      // Assess
      expect(dependencyCycle(synth.resources)).toEqual([]);
    });
  });
});

describe('with the app domain configured', () => {
  const domain = 'xiuhua.example.gov.cn';

  describe.each([
    ['an ACM certificate', 'arn:aws:acm:us-east-1:123456789012:certificate/0f4c2d1e-1111-2222-3333-444455556666'],
    ['an IAM server certificate (AWS China)', 'ASCAEXAMPLE0123456789'],
  ])('and %s', (_label, certificate) => {
    let synth: Synthesised;

    beforeAll(() => {
      synth = synthesise({ ...quiet, context: { ...skipBundling, webDomain: domain, webCertificate: certificate } });
    }, synthTimeoutMs);

    it('serves the domain with its certificate, TLS 1.2 at least, by SNI', () => {
      // Act
      const { config } = distributionOf(synth);

      // Assess
      expect(config.Aliases).toEqual([domain]);
      expect(config.ViewerCertificate).toEqual(
        certificate.startsWith('arn:')
          ? { AcmCertificateArn: certificate, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }
          : { IamCertificateId: certificate, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      );
    });

    it('names the domain in the CORS rule and the callback URLs, and the exact proofs endpoint in the CSP', () => {
      // Prepare
      const proofsId = logicalIdOf(synth, synth.stack.stateful.bucket(proofsBucket));
      const proofs = synth.resources[proofsId];
      const client = synth.resources[synth.stack.getLogicalId(synth.stack.stateless.userPoolClient.node.defaultChild as CfnUserPoolClient)];
      const csp = JSON.stringify(synth.resources[synth.stack.getLogicalId(synth.stack.web.securityHeaders.node.defaultChild as CfnElement)]?.Properties);

      // Assess
      expect((proofs?.Properties?.['CorsConfiguration'] as { CorsRules: { AllowedOrigins: unknown }[] }).CorsRules[0]?.AllowedOrigins).toEqual([`https://${domain}`]);
      expect(client?.Properties).toMatchObject({ CallbackURLs: [`https://${domain}/auth/callback`], LogoutURLs: [`https://${domain}/`] });
      expect(csp).toContain(`connect-src 'self' https://",{"Fn::GetAtt":["${proofsId}","RegionalDomainName"]}`);
      expect(csp).not.toContain('*.s3.');
    });

    it('has no dependency cycle', () => {
      // Assess
      expect(dependencyCycle(synth.resources)).toEqual([]);
    });
  });

  it('refuses a domain without a certificate, and a certificate that is neither an ARN nor an IAM id', () => {
    // Assess
    expect(() => createApp({ ...quiet, webDist: null, context: { ...skipBundling, webDomain: domain } })).toThrow(/webCertificate/);
    expect(() => createApp({ ...quiet, webDist: null, context: { ...skipBundling, webDomain: domain, webCertificate: 'my-cert' } })).toThrow(/webCertificate/);
    expect(() => createApp({ ...quiet, webDist: null, context: { ...skipBundling, webDomain: 'Not A Host', webCertificate: 'ASCAEXAMPLE0123456789' } })).toThrow(/webDomain/);
  });
});

describe('with map tiles configured', () => {
  it('adds the tile host to img-src', () => {
    // Prepare
    const mapTiles = { url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=key&x={x}', attribution: '天地图', datum: 'wgs84', subdomains: '01234567' };

    // Act
    const { stack } = createApp({ ...quiet, webDist: null, context: { ...skipBundling, mapTiles: JSON.stringify(mapTiles) } });

    // Assess
    expect(stack.web.contentSecurityPolicy).toContain('data: https://*.s3.');
    expect(stack.web.contentSecurityPolicy).toMatch(/img-src [^;]* https:\/\/\*\.tianditu\.gov\.cn/);
  });
});
