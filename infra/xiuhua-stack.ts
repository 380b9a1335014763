import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { HttpModuleManifest } from '../functions/shared/route';
import { buckets, proofsBucket, tables } from './definitions';
import { Stateful } from './stateful';
import { Stateless } from './stateless';
import { WebApp, type WebDomain, type WebTileSource } from './web';

export interface XiuhuaStackProps extends StackProps {
  readonly stage: string;
  /** The HTTP modules to deploy; the manifest unless a test passes its own. */
  readonly modules?: readonly HttpModuleManifest[];
  /** The field app's own domain (required in AWS China); without it, the distribution's domain. */
  readonly webDomain?: WebDomain;
  /** Map tiles for the field app (its config and the CSP's img-src). */
  readonly mapTiles?: WebTileSource;
  /** The built field app (web/dist); deployed only when it holds an index.html. */
  readonly webDist?: string;
  /** The managed login domain prefix; default `xiuhua-<stage>`. */
  readonly authDomainPrefix?: string;
}

/**
 * One stack per stage, holding the stateful and the stateless half as two constructs, and the
 * field app's hosting (infra/web.ts).
 * One stack rather than two: cross-stack references would freeze the tables' and buckets'
 * exports, and S3 notifications to a Lambda in another stack form a dependency cycle. The
 * stateful half is protected by RETAIN and deletion protection instead.
 */
export class XiuhuaStack extends Stack {
  readonly stateful: Stateful;
  readonly stateless: Stateless;
  readonly web: WebApp;

  constructor(scope: Construct, id: string, props: XiuhuaStackProps) {
    super(scope, id, props);
    this.stateful = new Stateful(this, 'Stateful');
    // The app client's callback URLs need the app's origin, and the distribution (which makes
    // the origin when no domain is configured) needs the API built here first: the origin is
    // read lazily. In CloudFormation there is no cycle: the distribution references the API
    // resource only, not its routes, authorizer or app client.
    const appOrigin = props.webDomain === undefined ? Lazy.string({ produce: () => this.web.origin }) : `https://${props.webDomain.name}`;
    this.stateless = new Stateless(this, 'Stateless', {
      stage: props.stage,
      stateful: this.stateful,
      appOrigin,
      ...(props.authDomainPrefix === undefined ? {} : { authDomainPrefix: props.authDomainPrefix }),
      ...(props.modules === undefined ? {} : { modules: props.modules }),
    });
    this.web = new WebApp(this, 'Web', {
      stage: props.stage,
      apiUrl: this.stateless.stage.url,
      accessLogs: this.stateful.accessLogs,
      proofs: this.stateful.bucket(proofsBucket),
      auth: { domain: this.stateless.managedLoginDomain, clientId: this.stateless.userPoolClient.userPoolClientId },
      ...(props.webDomain === undefined ? {} : { domain: props.webDomain }),
      ...(props.mapTiles === undefined ? {} : { tiles: props.mapTiles }),
      ...(props.webDist === undefined ? {} : { dist: props.webDist }),
    });
    this.stateful.allowBrowserUploadsFrom(this.web.origin);

    new CfnOutput(this, 'ApiUrl', { value: this.stateless.stage.url });
    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The field app (and the API under /v1 and /open311)' });
    new CfnOutput(this, 'WebDistributionId', { value: this.web.distribution.distributionId });
    new CfnOutput(this, 'ManagedLoginDomain', { value: this.stateless.managedLoginDomain, description: 'Cognito managed login (OAuth authorize, token and logout endpoints)' });
    new CfnOutput(this, 'UserPoolId', { value: this.stateless.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.stateless.userPoolClient.userPoolClientId });
    for (const table of tables) {
      new CfnOutput(this, `${table.id}TableName`, { value: this.stateful.table(table).tableName });
    }
    for (const bucket of buckets) {
      new CfnOutput(this, `${bucket.id}BucketName`, { value: this.stateful.bucket(bucket).bucketName });
    }
  }
}
