import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { buildSync, type BuildOptions } from 'esbuild';
import { AssetHashType, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildOpenApiDocument } from '../../functions/http/meta/build-document';
import { documentBuilderFile, prebuiltDocumentGlobal } from '../../functions/http/meta/prebuilt';

/** The repository root: entries in the manifest are relative to it, and so is the lock file. */
export const projectRoot: string = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Log retention for every function and the API. The PRC Cybersecurity Law (网络安全法, art. 21)
 * asks operators to keep network logs for no less than six months; a year clears that with
 * room for a yearly audit.
 */
export const logRetention = logs.RetentionDays.ONE_YEAR;

/**
 * How every Lambda bundle is built. The CDK construct below and the bench
 * (test/bench/bundles.ts, through {@link esbuildOptionsFor}) both read this object, so the
 * figures the bench prints are those of the deployed code.
 *
 * The AWS SDK is bundled, not taken from the runtime: the version we test is the version
 * that runs (DESIGN §5 pins the SDK), and a bundled, tree-shaken ESM SDK initialises no
 * slower than the runtime's full copy. The bench keeps an eye on the size this costs.
 */
export const lambdaBundling = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourceMap: true,
  /** Stack traces need mappings only; the sources themselves would triple the map's size. */
  sourcesContent: false,
  /** Prefer packages' ESM builds: esbuild tree-shakes them far better than CommonJS. */
  mainFields: ['module', 'main'],
  externalModules: [] as string[],
  /**
   * Chinese texts (and zod's message locales) stay UTF-8, 3 bytes a character, instead of
   * 6-byte `\uXXXX` escapes: about 70 KB less per bundle, and no slower to load.
   */
  charset: 'utf8',
  /**
   * ESM output has no `require`; some dependencies still call it for Node built-ins. Aliased
   * import so it cannot clash with a bundled module's own `createRequire` import.
   */
  banner:
    "import { createRequire as __xiuhuaCreateRequire } from 'node:module'; const require = __xiuhuaCreateRequire(import.meta.url);",
} as const;

/** Environment every function starts with (the bench sets it on its child processes too). */
export const lambdaEnvironment: Readonly<Record<string, string>> = {
  // Stack traces point at the TypeScript sources through the bundle's source map.
  NODE_OPTIONS: '--enable-source-maps',
};

/**
 * Packages that bundles would carry but Lambda never runs; they resolve to
 * {@link unbundledStub}, which fails loudly if a later change calls one.
 * - exceljs requires these at its import but only its readers, streaming writer and CSV
 *   module use them (unzipper and bluebird, archiver, saxes, fast-csv; `tmp` stays: exceljs
 *   calls it at import). xiuhua writes workbooks with `workbook.xlsx.writeBuffer()` (JSZip) only.
 * - bowser: @aws-sdk/core's browser user-agent provider imports it dynamically, so every
 *   bundle held a 34 KB chunk of it; on Node the SDK builds its user agent from `process`
 *   and never calls that provider.
 */
export const unbundledPackages: readonly string[] = ['unzipper', 'archiver', 'saxes', 'fast-csv', 'bowser'];

/** The module the packages above resolve to in a bundle. */
export const unbundledStub: string = path.join(projectRoot, 'infra', 'constructs', 'unbundled.cjs');

/**
 * The esbuild options of every Lambda bundle: {@link LambdaFunction} builds its asset with
 * them at synth, and tools that build bundles themselves (the bench, the infra tests) call
 * this too, so the figures the bench prints are those of the deployed code.
 *
 * `outfile` names the entry (`<dir>/index.mjs`, the handler `index.handler`); the chunks it
 * imports lazily (functions/shared/lazy-module.ts) go to `<dir>/chunks/`. Code splitting is
 * what lets a cold container parse only its route's code (issue 16).
 */
const metaEntry = path.join(projectRoot, 'functions', 'http', 'meta', 'index.ts');
let documentText: string | undefined;

/**
 * What one entry's bundle fixes when it is built: the meta module gets the finished OpenAPI
 * document, compressed, and leaves out the code that builds it (functions/http/meta/prebuilt.ts).
 */
function buildTimeOptionsFor(entry: string): Pick<BuildOptions, 'define'> & { readonly external: readonly string[] } {
  if (path.resolve(entry) !== metaEntry) return { external: [] };
  // Brotli, base64: 410 KB of JSON ship as about 40 KB of text, and decompress in a few ms.
  documentText ??= brotliCompressSync(JSON.stringify(buildOpenApiDocument())).toString('base64');
  return { define: { [prebuiltDocumentGlobal]: JSON.stringify(documentText) }, external: [documentBuilderFile] };
}

export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions & { outdir: string } {
  const fixed = buildTimeOptionsFor(entry);
  return {
    ...(fixed.define === undefined ? {} : { define: fixed.define }),
    entryPoints: { index: entry },
    outdir: path.dirname(outfile),
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    target: lambdaBundling.target,
    format: lambdaBundling.format,
    minify: lambdaBundling.minify,
    sourcemap: lambdaBundling.sourceMap,
    sourcesContent: lambdaBundling.sourcesContent,
    mainFields: [...lambdaBundling.mainFields],
    external: [...lambdaBundling.externalModules, ...fixed.external],
    alias: Object.fromEntries(unbundledPackages.map((name) => [name, unbundledStub])),
    charset: lambdaBundling.charset,
    banner: { js: lambdaBundling.banner },
    logLevel: 'warning',
  };
}

export interface LambdaFunctionProps {
  /** Entry file, relative to the repository root (as in functions/http/manifest.ts). */
  readonly entry: string;
  readonly description?: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** Default 10 s. */
  readonly timeout?: Duration;
  /** Default 512 MB: Lambda's CPU share grows with memory, and zod parsing wants CPU. */
  readonly memorySize?: number;
}

/**
 * The one place where Lambda defaults live (STYLE: powertools `examples/app`): Node 22 on
 * arm64, a log group of its own with retention, active tracing, and an execution role that
 * can write to that log group and nothing else until a grant says otherwise.
 */
export class LambdaFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention });

    // Our own role instead of the default one: the default attaches the AWS-managed
    // AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `execution role: ${props.description ?? id}`,
    });
    this.logGroup.grantWrite(this.role);

    const entry = path.join(projectRoot, props.entry);
    this.function = new lambda.Function(this, 'Function', {
      // Bundled by esbuild from node_modules (a dev dependency) with esbuildOptionsFor: the
      // JS API rather than NodejsFunction's CLI call, which has one output file and so no code
      // splitting. No Docker: the build machines do not have it.
      code: lambda.Code.fromAsset(projectRoot, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: lambda.Runtime.NODEJS_22_X.bundlingImage,
          // Never run (local bundling), but part of the CDK's staging cache key: without the
          // entry in it every function of the app would get the first function's bundle.
          command: ['esbuild', props.entry],
          local: {
            tryBundle(outputDir: string): boolean {
              buildSync(esbuildOptionsFor(entry, path.join(outputDir, 'index.mjs')));
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...lambdaEnvironment, ...props.environment },
    });

    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy !== undefined) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement added by active tracing uses "*": xray:PutTraceSegments and ' +
          'xray:PutTelemetryRecords support no resource-level permissions. test/infra asserts that ' +
          'no other "*" statement exists.',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'DESIGN §5 pins nodejs22.x: the code must also run on the Node 20 dev machines, and the ' +
        'move to a newer runtime is planned together with the AWS SDK upgrade.',
    });
  }
}
