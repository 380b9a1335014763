import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Aws, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { abortIncompleteUploads, privateBucketDefaults, requestLogRetention } from './stateful';

/*
 * The field app (issue 14) in AWS: web/dist in a private bucket behind CloudFront, with the
 * HTTP API under /v1/* and /open311/* on the same distribution, so the app and the API share
 * one origin and the API needs no CORS.
 *
 * AWS China (the stack's region is cn-north-1), as far as could be found, and worth checking
 * before the first deployment there:
 * - CloudFront in China cannot serve content on its default *.cloudfront.cn domain: an
 *   ICP-filed alternate domain with a certificate is required, and ACM is not supported there,
 *   so the certificate is an IAM server certificate (docs.amazonaws.cn, "Amazon CloudFront").
 *   Hence `domain` below, with an IAM certificate id as well as an ACM ARN.
 * - Origin access control: the CDK's OAC RFC (aws-cdk-rfcs 0617, 2024) says OAC is not
 *   supported in the China and GovCloud regions, and aws-solutions-constructs issue #1050
 *   (January 2024) shows a cn-north-1 deployment refused with "Unrecognized resource types:
 *   [AWS::CloudFront::OriginAccessControl]"; the China CloudFormation reference now documents
 *   the resource type. If it is still refused, the fallback is an origin access identity
 *   (S3BucketOrigin.withOriginAccessIdentity) — not done here.
 * - AWS WAF is regional only in the Beijing and Ningxia regions (docs.amazonaws.cn, "Amazon
 *   WAF"): no web ACL can be attached to a distribution there.
 * - Cognito: see managedLoginHost in infra/stateless.ts.
 */

/** The app's own domain: required in AWS China, optional elsewhere. */
export interface WebDomain {
  /** e.g. `xiuhua.example.gov.cn` (ICP-filed in China). */
  readonly name: string;
  /**
   * An ACM certificate ARN (in us-east-1, as CloudFront requires), or an IAM server certificate
   * id (`ASCA…`) — the only kind CloudFront accepts in AWS China.
   */
  readonly certificate: string;
}

/** A map tile source for the app (web/src/config.ts TileSource); its host joins the CSP's img-src. */
export interface WebTileSource {
  /** Leaflet URL template over https, e.g. `https://t{s}.tianditu.gov.cn/vec_w/wmts?…&tk=…`. */
  readonly url: string;
  readonly attribution: string;
  readonly datum: 'wgs84' | 'gcj02';
  readonly subdomains?: string;
}

export interface WebAppProps {
  readonly stage: string;
  /** The HTTP API stage's URL (`https://<id>.execute-api.<region>.<suffix>/`). */
  readonly apiUrl: string;
  /** Receives the S3 server access logs of the two buckets here. */
  readonly accessLogs: s3.IBucket;
  /** The bucket the app POSTs photos into (presigned) and shows them from (presigned GETs). */
  readonly proofs: s3.IBucket;
  /** Cognito managed login: the host (no scheme) and the app client's id, for the app's config and the CSP. */
  readonly auth: { readonly domain: string; readonly clientId: string };
  readonly domain?: WebDomain;
  readonly tiles?: WebTileSource;
  /**
   * The built app (`npm run build:web` writes web/dist). Deployed only when it holds an
   * index.html: tests and `cdk synth` on a fresh checkout run without a build.
   */
  readonly dist?: string;
}

/** The object the app reads at start (web/src/config.ts AppConfig), written by the deployment. */
export const appConfigKey = 'app-config.json';

/**
 * SPA fallback, a CloudFront Function on the default behaviour (viewer request): a path whose
 * last segment has no dot is an app route (/tasks/…, /auth/callback) and gets /index.html;
 * files (/sw.js, /app-config.json, /assets/…) pass through. Not error responses mapping 403/404
 * to index.html: those apply to the whole distribution, so they would also turn the API's own
 * 404 and 403 problem+json answers under /v1 and /open311 into a 200 HTML page.
 */
export const spaRewriteSource = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
`;

/** The origin (`https://host`) a tile URL template loads from; a `{s}` subdomain becomes `*`. */
export function tileOrigin(template: string): string {
  const match = /^https:\/\/([^/?#]+)/.exec(template);
  if (match?.[1] === undefined) throw new Error(`a tile URL must be https, got ${JSON.stringify(template)}`);
  const labels = match[1].split('.');
  if (labels.slice(1).some((label) => label.includes('{'))) throw new Error(`only the first label of a tile host may be a placeholder: ${template}`);
  return `https://${labels.map((label) => (label.includes('{') ? '*' : label)).join('.')}`;
}

export interface CspSources {
  /** Where presigned POSTs go and presigned GETs come from (the proofs bucket's regional endpoint). */
  readonly proofs: string;
  /** Cognito managed login (the app calls /oauth2/token there). */
  readonly auth: string;
  readonly tiles: readonly string[];
}

/**
 * The app's Content-Security-Policy. Scripts and styles from the app's own origin only (Vite
 * emits files, nothing inline; Leaflet and Preact set styles through the DOM, which CSP does
 * not govern); images also from blob: and data: (photos before upload), the proofs bucket
 * (presigned GETs) and the tile hosts; fetches to the API (same origin), the proofs bucket
 * (presigned POST) and Cognito's token endpoint.
 */
export function contentSecurityPolicy(sources: CspSources): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'blob:', 'data:', sources.proofs, ...sources.tiles].join(' '),
    ['connect-src', "'self'", sources.proofs, sources.auth].join(' '),
    "font-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The field app's hosting: a private bucket read by CloudFront through origin access control,
 * the API on the same distribution, security headers, CloudFront's request logs, and — when
 * web/dist is built — the deployment of the build with the app's config.
 */
export class WebApp extends Construct {
  readonly bucket: s3.Bucket;
  /** CloudFront's standard logs (they need ACLs, which the access log bucket has disabled). */
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly spaRewrite: cloudfront.Function;
  readonly securityHeaders: cloudfront.ResponseHeadersPolicy;
  readonly contentSecurityPolicy: string;
  /** `https://<domain>`: the configured domain, else the distribution's own. */
  readonly origin: string;
  /** The build's deployments, when web/dist was built: hashed assets first, then the rest. */
  readonly deployments: readonly s3deploy.BucketDeployment[];

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);

    // The build is reproducible from the repository, but stays with the stack like every
    // bucket here; versions give a quick rollback and go after 30 days.
    this.bucket = new s3.Bucket(this, 'Site', {
      ...privateBucketDefaults,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      lifecycleRules: [abortIncompleteUploads, { id: 'expire-superseded-builds', noncurrentVersionExpiration: Duration.days(30) }],
    });

    // CloudFront's standard logs are written with an ACL grant to its log delivery account, so
    // this bucket keeps ACLs (bucket owner preferred: the objects are still ours) — the access
    // log bucket enforces bucket ownership and cannot take them. S3-managed keys: CloudFront
    // cannot write to SSE-KMS buckets. Kept as long as the S3 access logs.
    this.logBucket = new s3.Bucket(this, 'RequestLogs', {
      ...privateBucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web-request-logs/',
      lifecycleRules: [abortIncompleteUploads, requestLogRetention],
    });

    this.spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      comment: `xiuhua ${props.stage}: app routes to /index.html`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(spaRewriteSource),
    });

    /*
     * The CSP names the proofs bucket's endpoint, and the proofs bucket's CORS rule names the
     * app's origin. With a configured domain both are exact. Without one, the origin is the
     * distribution's own domain, known only once the distribution exists; the distribution
     * would depend on the bucket (through this policy) and the bucket on the distribution
     * (through its CORS rule): a cycle CloudFormation refuses. Then the CSP allows any bucket's
     * regional endpoint instead, and the CORS rule stays exact. (Only stacks outside AWS China
     * run without a domain: CloudFront there cannot serve its own domain.)
     */
    const proofsSource = props.domain === undefined ? `https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}` : `https://${props.proofs.bucketRegionalDomainName}`;
    this.contentSecurityPolicy = contentSecurityPolicy({
      proofs: proofsSource,
      auth: `https://${props.auth.domain}`,
      tiles: props.tiles === undefined ? [] : [tileOrigin(props.tiles.url)],
    });
    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `xiuhua ${props.stage}: security headers of the field app and the API`,
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        // Photos come from S3 and tiles from their hosts: they learn the app's origin, never its
        // paths (which carry task and proof ids).
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'geolocation=(self), camera=(self), microphone=()', override: true }],
      },
    });

    // Vite names every file under /assets/ by its content: a name never changes meaning.
    const hashedAssets = new cloudfront.CachePolicy(this, 'HashedAssets', {
      comment: `xiuhua ${props.stage}: content-hashed build assets`,
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      minTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const apiOrigin = new origins.HttpOrigin(Fn.parseDomainName(props.apiUrl), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    /*
     * The API behind CloudFront: nothing cached, every method, every viewer header but Host
     * (API Gateway routes by its own host name). AWS documents this managed policy as also
     * forwarding CloudFront's headers, CloudFront-Viewer-Address among them. Through CloudFront
     * the API sees CloudFront's address as the source IP, and the per-client limit
     * (functions/shared/client-limit.ts, requestContext.http.sourceIp) would count every
     * viewer of one edge as one client: it must read CloudFront-Viewer-Address for requests
     * that came through the distribution (and only those: a direct caller could send the
     * header). That change belongs to functions/, not here.
     */
    const api: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.securityHeaders,
    };

    const certificate = viewerCertificate(this, props.domain);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `xiuhua ${props.stage}: field app and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // index.html, sw.js and app-config.json carry Cache-Control: no-cache (see the
        // deployment): CloudFront keeps them one second, browsers revalidate every time.
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [{ function: this.spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: siteOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: hashedAssets,
          responseHeadersPolicy: this.securityHeaders,
        },
        '/v1/*': api,
        '/open311/*': api,
      },
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(certificate.acm === undefined
        ? {}
        : { certificate: certificate.acm, domainNames: [certificate.name], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021, sslSupportMethod: cloudfront.SSLMethod.SNI }),
    });
    if (certificate.iamCertificateId !== undefined) {
      // CloudFront in China takes IAM server certificates only; the L2 renders ACM ARNs only.
      const cfn = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [certificate.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: certificate.iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
    }
    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
    this.acknowledgeDistribution(certificate);

    this.deployments = props.dist === undefined ? [] : this.deploy(props.dist, props);
  }

  /**
   * The build, in two deployments. Hashed assets first, cached a year and never pruned (a tab
   * still running the previous index.html may yet load its lazy chunks); then everything else
   * (index.html, sw.js, the manifest, the icon) and app-config.json with `no-cache`, pruning
   * what the new build no longer has (but not assets/), and invalidating the distribution.
   */
  private deploy(dist: string, props: WebAppProps): s3deploy.BucketDeployment[] {
    if (!existsSync(path.join(dist, 'index.html'))) return [];
    const deployments: s3deploy.BucketDeployment[] = [];
    const assetsDir = path.join(dist, 'assets');
    if (existsSync(assetsDir)) {
      deployments.push(
        new s3deploy.BucketDeployment(this, 'DeployAssets', {
          sources: [s3deploy.Source.asset(assetsDir)],
          destinationBucket: this.bucket,
          destinationKeyPrefix: 'assets/',
          prune: false,
          cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
          memoryLimit: 512,
        }),
      );
    }
    const appConfig = {
      auth: {
        mode: 'cognito',
        domain: props.auth.domain,
        clientId: props.auth.clientId,
        redirectUri: `${this.origin}/auth/callback`,
        logoutUri: `${this.origin}/`,
      },
      ...(props.tiles === undefined ? {} : { tiles: props.tiles }),
    };
    const site = new s3deploy.BucketDeployment(this, 'DeploySite', {
      sources: [
        s3deploy.Source.asset(dist, { exclude: ['assets', 'assets/**', appConfigKey] }),
        s3deploy.Source.jsonData(appConfigKey, appConfig),
      ],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    for (const previous of deployments) site.node.addDependency(previous);
    deployments.push(site);
    acknowledgeDeploymentHandler(this.bucket);
    return deployments;
  }

  private acknowledgeDistribution(certificate: ViewerCertificate): void {
    const acknowledgements = Validations.of(this.distribution);
    acknowledgements.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        "The app serves a Chinese district's staff and contractors' crews; a country allow list would lock out a crew " +
        "roaming abroad without adding protection the Cognito sign-in and the API's authorizer do not already give.",
    });
    acknowledgements.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'AWS WAF is regional only in the Beijing and Ningxia regions (docs.amazonaws.cn), so no web ACL can be attached to ' +
        'this distribution there; the API keeps its stage and per-route throttles and per-client limits.',
    });
    if (certificate.acm === undefined) {
      acknowledgements.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          certificate.iamCertificateId === undefined
            ? 'No app domain is configured (context webDomain/webCertificate), so the distribution uses its default certificate, ' +
              "whose policy CloudFront fixes at TLSv1; a custom domain's certificate gets TLSv1.2_2021. AWS China requires the domain anyway."
            : 'The viewer certificate is an IAM server certificate set by a property override (TLSv1.2_2021, sni-only), ' +
              'because the L2 renders ACM certificates only; cdk-nag reads the L2 property, not the override.',
      });
    }
  }
}

interface ViewerCertificate {
  readonly name: string;
  readonly acm?: acm.ICertificate;
  readonly iamCertificateId?: string;
}

function viewerCertificate(scope: Construct, domain: WebDomain | undefined): ViewerCertificate {
  if (domain === undefined) return { name: '' };
  if (domain.certificate.startsWith('arn:')) {
    return { name: domain.name, acm: acm.Certificate.fromCertificateArn(scope, 'Certificate', domain.certificate) };
  }
  if (!/^ASCA[A-Z0-9]{10,}$/.test(domain.certificate)) {
    throw new Error(`webCertificate must be an ACM certificate ARN or an IAM server certificate id (ASCA…), got ${JSON.stringify(domain.certificate)}`);
  }
  return { name: domain.name, iamCertificateId: domain.certificate };
}

/**
 * BucketDeployment runs the CDK's own singleton Lambda (Custom::CDKBucketDeployment…): its
 * role, policy and runtime are the CDK's, with no way to narrow them from here. What it holds:
 * read on the CDK asset bucket (the zipped build), write and delete in the site bucket only,
 * and CloudFront invalidations.
 */
function acknowledgeDeploymentHandler(site: s3.Bucket): void {
  const stack = Stack.of(site);
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handler === undefined) return;
  const siteId = stack.getLogicalId(site.node.defaultChild as s3.CfnBucket);
  const acknowledgements = Validations.of(handler);
  const what = "The CDK's BucketDeployment handler (it copies web/dist into the site bucket at deploy time)";
  acknowledgements.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${what} comes with the managed basic-execution policy for its own logs; the CDK offers no way to give it another role.`,
  });
  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*']) {
    acknowledgements.acknowledge({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${what} reads the zipped build from the CDK asset bucket and lists the site bucket to prune it; the CDK grants ${action} on those two buckets only.`,
    });
  }
  for (const action of ['s3:Abort*', 's3:DeleteObject*']) {
    acknowledgements.acknowledge({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${what} replaces and prunes the previous build's files; the CDK grants ${action} on the site bucket's objects only, never on a bucket of record.`,
    });
  }
  acknowledgements.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
    reason: `${what} reads the build's zip, whose key is its content hash, from the CDK bootstrap asset bucket.`,
  });
  acknowledgements.acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${siteId}.Arn>/*]`,
    reason: `${what} writes every file of the build, under any name Vite gives it, into the site bucket (and nowhere else).`,
  });
  acknowledgements.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${what} creates and polls the invalidation of the distribution after a deployment; the CDK grants cloudfront:CreateInvalidation and GetInvalidation on "*".`,
  });
  acknowledgements.acknowledge({
    id: 'AwsSolutions-L1',
    reason: `${what} runs on the Python runtime the CDK version pins (aws-cdk-lib's own asset); it follows CDK upgrades, not this project.`,
  });
}
