import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { HttpModuleManifest } from '../functions/shared/route';
import { buckets, tables } from './definitions';
import { Stateful } from './stateful';
import { Stateless } from './stateless';

export interface XiuhuaStackProps extends StackProps {
  readonly stage: string;
  /** The HTTP modules to deploy; the manifest unless a test passes its own. */
  readonly modules?: readonly HttpModuleManifest[];
}

/**
 * One stack per stage, holding the stateful and the stateless half as two constructs.
 * One stack rather than two: cross-stack references would freeze the tables' and buckets'
 * exports, and S3 notifications to a Lambda in another stack form a dependency cycle. The
 * stateful half is protected by RETAIN and deletion protection instead.
 */
export class XiuhuaStack extends Stack {
  readonly stateful: Stateful;
  readonly stateless: Stateless;

  constructor(scope: Construct, id: string, props: XiuhuaStackProps) {
    super(scope, id, props);
    this.stateful = new Stateful(this, 'Stateful');
    this.stateless = new Stateless(this, 'Stateless', {
      stage: props.stage,
      stateful: this.stateful,
      ...(props.modules === undefined ? {} : { modules: props.modules }),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stateless.stage.url });
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
