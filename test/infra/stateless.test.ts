import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import * as z from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../domain/policy';
import { eventHandlers, objectCreatedHandlers } from '../../functions/events/manifest';
import { httpModules } from '../../functions/http/manifest';
import { claimNames } from '../../functions/shared/auth';
import { routeKeyOf, type HttpModuleManifest, type RouteSpec } from '../../functions/shared/route';
import { esbuildOptionsFor, lambdaBundling, projectRoot } from '../../infra/constructs/lambda';
import { buckets, envNames, exportsBucket, idempotencyTable, mainTable, proofsBucket } from '../../infra/definitions';
import { resourcesOfType, skipBundling, synthesise, type CfnResourceJson, type Synthesised, synthTimeoutMs } from './support';

interface Statement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

let synth: Synthesised;

beforeAll(() => {
  // Real esbuild bundles, as `cdk synth` makes them: the bundle checks below read them.
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false });
}, synthTimeoutMs);

function logicalIdOf(construct: { node: { defaultChild?: unknown } }, from: Synthesised = synth): string {
  return from.stack.getLogicalId(construct.node.defaultChild as CfnFunction);
}

function functionOf(name: string, from: Synthesised = synth): { logicalId: string; resource: CfnResourceJson } {
  const fn = from.stack.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function for module ${name}`);
  const logicalId = logicalIdOf(fn.function, from);
  const resource = from.resources[logicalId];
  if (resource === undefined) throw new Error(`function ${logicalId} is not in the template`);
  return { logicalId, resource };
}

/** Every statement of the policies attached to a module's execution role. */
function statementsOf(name: string, from: Synthesised = synth): Statement[] {
  const fn = from.stack.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function for module ${name}`);
  const roleId = from.stack.getLogicalId(fn.role.node.defaultChild as CfnRole);
  return resourcesOfType(from.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.['Roles'] as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

/** The bundle NodejsFunction built for a module, in the cloud assembly. */
function bundleOf(name: string): string {
  const code = functionOf(name).resource.Properties?.['Code'] as { S3Key: string };
  const hash = code.S3Key.replace(/\.zip$/, '');
  const manifest = JSON.parse(
    readFileSync(path.join(synth.assembly.directory, `${synth.stack.artifactId}.assets.json`), 'utf8'),
  ) as { files: Record<string, { source: { path: string } }> };
  const assetDir = manifest.files[hash]?.source.path;
  if (assetDir === undefined) throw new Error(`no asset ${hash} for module ${name}`);
  return path.join(synth.assembly.directory, assetDir, 'index.mjs');
}

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

function envOf(name: string, from: Synthesised = synth): Record<string, unknown> {
  const environment = functionOf(name, from).resource.Properties?.['Environment'] as { Variables: Record<string, unknown> };
  return environment.Variables;
}

describe('functions', () => {
  it('deploys one Lambda per manifest module', () => {
    // Assess
    // Plus one per scheduled event handler (functions/events/manifest.ts; test/infra/events.test.ts).
    // Plus one per S3 ObjectCreated handler, and the CDK's BucketNotificationsHandler that configures
    // their notifications (test/infra/proof-ingest.test.ts).
    const objectCreated = objectCreatedHandlers.length + (objectCreatedHandlers.length > 0 ? 1 : 0);
    synth.template.resourceCountIs('AWS::Lambda::Function', httpModules.length + eventHandlers.length + objectCreated);
    expect([...synth.stack.stateless.functions.keys()].sort()).toEqual(httpModules.map((m) => m.name).sort());
  });

  describe.each(httpModules.map((module) => [module.name, module] as const))('%s', (name) => {
    it('runs Node 22 on arm64 with 512 MB, active tracing and an ESM handler', () => {
      // Act
      const properties = functionOf(name).resource.Properties;

      // Assess
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    });

    it('logs to a log group of its own, kept for a year', () => {
      // Act
      const logGroup = (functionOf(name).resource.Properties?.['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup;
      const resource = synth.resources[logGroup.Ref];

      // Assess
      expect(resource?.Type).toBe('AWS::Logs::LogGroup');
      expect(resource?.Properties?.['RetentionInDays']).toBe(365);
    });

    it('has a role with no AWS-managed policy', () => {
      // Prepare
      const fn = synth.stack.stateless.functions.get(name);
      const role = synth.resources[synth.stack.getLogicalId(fn?.role.node.defaultChild as CfnRole)];

      // Assess
      expect(role?.Properties?.['ManagedPolicyArns']).toBeUndefined();
    });

    it('uses "*" as a resource only for the X-Ray actions that accept nothing else (and bucket objects under the service key prefix)', () => {
      // Act: `<bucket arn>/proofs/*` is a prefix grant, not a wildcard over resources; so is the
      // exports bucket's `jobs/*`, where export jobs are queued (issue 16).
      const prefixGrant = new RegExp(`^\\[?\\{"Fn::Join":\\["",\\[\\{"Fn::GetAtt":\\["[A-Za-z0-9]+","Arn"\\]\\},"/(${[...buckets.map((bucket) => bucket.keyPrefix), 'jobs/'].join('|')})\\*"\\]\\]\\}\\]?$`);
      const wildcard = statementsOf(name).filter((statement) => {
        const resource = JSON.stringify(statement.Resource);
        return resource.includes('*') && !prefixGrant.test(resource);
      });

      // Assess
      expect(wildcard.flatMap(actionsOf).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });

    it('is bundled as ESM with the AWS SDK inside: the bundle imports only Node built-ins and its own chunks', async () => {
      // Act: the entry and every chunk beside it (functions/shared/lazy-module.ts loads them by route).
      const bundle = bundleOf(name);
      const chunks = readdirSync(path.dirname(bundle), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.mjs'))
        .map((file) => path.join(path.dirname(bundle), file));
      const parsed = await build({
        entryPoints: chunks,
        outdir: mkdtempSync(path.join(tmpdir(), 'xiuhua-bundle-imports-')),
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        external: ['*'],
        logLevel: 'silent',
      });
      const imports = Object.values(parsed.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));

      // Assess
      expect(readFileSync(bundle, 'utf8').startsWith(lambdaBundling.banner)).toBe(true);
      const builtins = new Set(builtinModules);
      const ownChunk = (specifier: string): boolean => /^\.{1,2}\/(chunks\/)?[\w-]+\.mjs$/.test(specifier);
      expect(imports.filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier) && !ownChunk(specifier))).toEqual([]);
    });

    it('is byte for byte what esbuildOptionsFor builds, so the bench measures the deployed code', async () => {
      // Prepare
      const module = httpModules.find((candidate) => candidate.name === name);
      const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'xiuhua-bundle-')), 'index.mjs');
      // A chunk's name hashes its source map too, whose paths are relative to the output folder:
      // the names differ by where the bundle is built, the code in them does not.
      const code = (file: string): string[] =>
        readdirSync(path.dirname(file), { recursive: true, encoding: 'utf8' })
          .filter((name) => name.endsWith('.mjs'))
          .map((name) => readFileSync(path.join(path.dirname(file), name), 'utf8').replace(/([\w-]+)-[A-Z0-9]{8}\.mjs/g, '$1.mjs'))
          .sort();

      // Act
      await build(esbuildOptionsFor(path.join(projectRoot, module?.entry ?? ''), outfile));

      // Assess
      expect(code(outfile)).toEqual(code(bundleOf(name)));
    });

    it('loads on its own: no node_modules beside the bundle, no environment needed at import', () => {
      // Prepare: the cloud assembly lives in a temp directory, far from the repository's node_modules.
      const url = pathToFileURL(bundleOf(name)).href;

      // Act
      const exported = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler);`],
        { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'cn-north-1' } },
      );

      // Assess
      expect(exported.trim()).toBe('function');
    });

    it('loads every route chunk on its own at the route\'s first request (a request without a token: 401)', () => {
      // Prepare: one event per JWT route; each imports its route's chunks from the asset alone.
      const url = pathToFileURL(bundleOf(name)).href;
      const keys = (httpModules.find((candidate) => candidate.name === name)?.routes ?? []).filter((spec) => spec.auth === 'jwt').map((spec) => `${spec.method} ${spec.path}`);
      const events = keys.map((routeKey) => ({ routeKey, rawPath: '/', headers: {}, requestContext: { requestId: 'infra-test', http: { method: 'GET', path: '/', sourceIp: '127.0.0.1' } } }));

      // Act
      const statuses = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); const out = []; for (const event of ${JSON.stringify(events)}) out.push((await m.handler(event, { awsRequestId: 'infra-test' })).statusCode); console.log(JSON.stringify(out));`],
        { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'cn-north-1', POWERTOOLS_LOG_LEVEL: 'SILENT' } },
      );

      // Assess
      expect(JSON.parse(statuses.trim().split('\n').at(-1) ?? '[]')).toEqual(keys.map(() => 401));
    });
  });
});

describe('routes', () => {
  const routes = (): [string, CfnResourceJson][] => resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Route');
  const routeFor = (spec: RouteSpec): CfnResourceJson | undefined =>
    routes().find(([, route]) => route.Properties?.['RouteKey'] === routeKeyOf(spec))?.[1];
  const authorizerId = (): string => {
    const [id] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Authorizer').map(([logicalId]) => logicalId);
    if (id === undefined) throw new Error('no authorizer');
    return id;
  };

  it('creates exactly one route per route spec of the manifest', () => {
    // Prepare
    const expected = httpModules.flatMap((module) => module.routes.map(routeKeyOf)).sort();

    // Act
    const actual = routes().map(([, route]) => route.Properties?.['RouteKey']).sort();

    // Assess
    expect(actual).toEqual(expected);
  });

  describe.each(
    httpModules.flatMap((module) => module.routes.map((spec) => [routeKeyOf(spec), module, spec] as const)),
  )('%s', (_key, module, spec) => {
    it(spec.auth === 'jwt' ? 'requires the Cognito JWT authorizer' : 'is public: no authorizer', () => {
      // Act
      const properties = routeFor(spec)?.Properties;

      // Assess
      if (spec.auth === 'jwt') {
        expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId() } });
      } else {
        expect(properties?.['AuthorizationType']).toBe('NONE');
        expect(properties?.['AuthorizerId']).toBeUndefined();
      }
    });

    it(`is served by the ${module.name} Lambda`, () => {
      // Prepare
      const target = routeFor(spec)?.Properties?.['Target'] as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = synth.resources[target['Fn::Join'][1][1].Ref];

      // Assess
      expect(integration?.Properties?.['IntegrationUri']).toEqual({ 'Fn::GetAtt': [functionOf(module.name).logicalId, 'Arn'] });
      expect(integration?.Properties?.['PayloadFormatVersion']).toBe('2.0');
    });
  });

  it('checks ID tokens of the user pool: issuer is the pool, audience the app client', () => {
    // Prepare
    const pool = logicalIdOf(synth.stack.stateless.userPool);
    const client = logicalIdOf(synth.stack.stateless.userPoolClient);

    // Assess
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: pool }]],
        },
      },
    });
  });

  it('logs every request of the stage to a log group kept for a year', () => {
    // Act
    const [[, stage] = []] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Stage');
    const settings = stage?.Properties?.['AccessLogSettings'] as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };

    // Assess
    expect(JSON.parse(settings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(synth.resources[settings.DestinationArn['Fn::GetAtt'][0]]?.Properties?.['RetentionInDays']).toBe(365);
    expect(stage?.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
  });
});

describe('user pool', () => {
  const custom = (claim: string): string => claim.replace(/^custom:/, '');

  it('has one group per role, named as the role', () => {
    // Prepare
    const pool = logicalIdOf(synth.stack.stateless.userPool);

    // Act
    const groups = resourcesOfType(synth.resources, 'AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties);

    // Assess
    expect(groups.map((group) => group?.['GroupName']).sort()).toEqual([...roles].sort());
    for (const group of groups) expect(group?.['UserPoolId']).toEqual({ Ref: pool });
  });

  it('carries tenant and contractor as immutable custom attributes, under the claim names handlers read', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: custom(claimNames.tenant), AttributeDataType: 'String', Mutable: false }),
        Match.objectLike({ Name: custom(claimNames.contractorId), AttributeDataType: 'String', Mutable: false }),
      ]),
    });
  });

  it('admits no self sign-up and requires MFA', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });

  it('lets the app client read tenant and contractor into the ID token, but never write them', () => {
    // Act
    const [[, client] = []] = resourcesOfType(synth.resources, 'AWS::Cognito::UserPoolClient');

    // Assess
    expect(client?.Properties?.['ReadAttributes']).toEqual(expect.arrayContaining([claimNames.tenant, claimNames.contractorId]));
    expect(client?.Properties?.['WriteAttributes']).not.toEqual(expect.arrayContaining([claimNames.tenant]));
    expect(client?.Properties?.['WriteAttributes']).not.toEqual(expect.arrayContaining([claimNames.contractorId]));
    expect(client?.Properties?.['GenerateSecret']).toBe(false);
  });
});

describe('least privilege from the manifest needs', () => {
  const dynamoStatements = (name: string, from: Synthesised = synth): Statement[] =>
    statementsOf(name, from).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
  const tableLogicalId = (from: Synthesised, definition: typeof mainTable): string =>
    from.stack.getLogicalId(from.stack.stateful.table(definition).node.defaultChild as CfnTable);
  const tableRef = (from: Synthesised, definition: typeof mainTable): unknown => ({
    'Fn::GetAtt': [tableLogicalId(from, definition), 'Arn'],
  });

  it.each(httpModules.filter((m) => m.needs.mainTable === 'none' && !m.needs.idempotencyTable && m.needs.auditTable === undefined).map((m) => [m.name]))(
    '%s needs no table: no DynamoDB action and no table name',
    (name) => {
      // Assess
      expect(dynamoStatements(name)).toEqual([]);
      expect(envOf(name)).not.toHaveProperty(envNames.mainTable);
      expect(envOf(name)).not.toHaveProperty(envNames.idempotencyTable);
    },
  );

  it.each(httpModules.filter((m) => m.needs.proofsBucket === undefined && m.needs.exportsBucket === undefined).map((m) => [m.name]))(
    '%s needs no bucket: no S3 action',
    (name) => {
      // Assess
      expect(statementsOf(name).flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual([]);
    },
  );

  it('never grants Scan, nor deletion of objects', () => {
    // Assess
    for (const module of httpModules) {
      const actions = statementsOf(module.name).flatMap(actionsOf);
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions).not.toContain('s3:DeleteObject');
      expect(actions.filter((action) => action.endsWith('*'))).toEqual([]);
    }
  });

  it.each(httpModules.filter((m) => m.needs.mainTable === 'readWrite').map((m) => [m.name]))(
    '%s may read and write the main table and query its indexes by name',
    (name) => {
      // Prepare
      const table = tableRef(synth, mainTable);

      // Act
      const onTable = dynamoStatements(name).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(table));
      const onIndexes = dynamoStatements(name).filter((s) => JSON.stringify(s.Resource).includes('/index/'));

      // Assess
      expect(onTable.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']));
      expect(onIndexes.flatMap(actionsOf)).toEqual(mainTable.globalSecondaryIndexes.map(() => 'dynamodb:Query'));
      expect(envOf(name)[envNames.mainTable]).toEqual({ Ref: tableLogicalId(synth, mainTable) });
    },
  );

  describe('a module that reads the table, signs uploads and writes exports', () => {
    const probe: HttpModuleManifest = {
      name: 'probe',
      entry: 'functions/http/meta/index.ts',
      routes: [
        {
          operationId: 'probe',
          method: 'GET',
          path: '/v1/probe',
          summary: 'probe',
          tags: ['probe'],
          auth: 'jwt',
          success: { status: 200, description: 'ok', schema: z.object({}) },
          problems: [],
        },
      ],
      needs: { mainTable: 'read', idempotencyTable: false, proofsBucket: 'put', exportsBucket: 'readWrite' },
    };
    let probed: Synthesised;

    beforeAll(() => {
      probed = synthesise({ modules: [probe], context: skipBundling, nag: false, builtinCloudFormationValidation: false });
    }, synthTimeoutMs);

    it('may only read the main table, and nothing of the idempotency table', () => {
      // Act
      const actions = dynamoStatements('probe', probed).flatMap(actionsOf);
      const resources = JSON.stringify(dynamoStatements('probe', probed).map((s) => s.Resource));

      // Assess
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(actions).not.toContain('dynamodb:UpdateItem');
      expect(actions).toContain('dynamodb:GetItem');
      expect(resources).not.toContain(JSON.stringify(tableRef(probed, idempotencyTable)));
    });

    it('may put proofs and get or put exports, each on its own bucket only', () => {
      // Prepare
      const objectsOf = (definition: typeof proofsBucket): string =>
        JSON.stringify({
          'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(probed.stack.stateful.bucket(definition), probed), 'Arn'] }, `/${definition.keyPrefix}*`]],
        });

      // Act
      const s3 = statementsOf('probe', probed).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
      const actionsOn = (definition: typeof proofsBucket): string[] =>
        s3.filter((s) => JSON.stringify(s.Resource) === objectsOf(definition)).flatMap(actionsOf).sort();

      // Assess
      expect(actionsOn(proofsBucket)).toEqual(['s3:PutObject']);
      expect(actionsOn(exportsBucket)).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(s3.flatMap(actionsOf)).toHaveLength(3);
    });

    it('learns the names of what it may touch, and only those', () => {
      // Assess
      expect(Object.keys(envOf('probe', probed)).sort()).toEqual(
        ['NODE_OPTIONS', envNames.mainTable, envNames.proofsBucket, envNames.exportsBucket].sort(),
      );
    });
  });
});
