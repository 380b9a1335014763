import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { httpModules } from '../../functions/http/manifest';
import { esbuildOptionsFor, lambdaEnvironment, projectRoot } from '../../infra/constructs/lambda';
import { envNames } from '../../infra/definitions';
import type { BenchSection } from './section';

/** Issue 2, §7: each bundle at most 1 MiB minified, cold init at most 1.3 x the baseline. */
export const bundleTargets = { maxBytes: 1_048_576, maxInitRatio: 1.3 } as const;

/** Fresh processes per bundle (at least 10 asked); one more per bundle warms the disk cache. */
const runs = 15;

const outDir = path.join(projectRoot, '.bench', 'bundles');
const baselineEntry = 'test/bench/baseline-handler.ts';

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  /** Bytes in the bundle per npm package (or per source folder of ours), largest first. */
  readonly parts: readonly (readonly [string, number])[];
}

/**
 * What a bundle sees at import: the Lambda defaults plus dummy resource names (in case a
 * module reads one too early; reading them must wait for a request, but the bench should
 * measure rather than fail on that).
 */
const childEnvironment: NodeJS.ProcessEnv = {
  PATH: process.env['PATH'],
  AWS_REGION: 'cn-north-1',
  ...lambdaEnvironment,
  ...Object.fromEntries(
    Object.values(envNames)
      .filter((name) => !name.endsWith('_ENDPOINT'))
      .map((name) => [name, `bench-${name.toLowerCase()}`]),
  ),
};

/** Groups a bundle's inputs by package, so the table can say where the bytes come from. */
function partsOf(inputs: Readonly<Record<string, { bytesInOutput: number }>>): [string, number][] {
  const parts = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const key = packageName ?? input.split('/').slice(0, 2).join('/');
    parts.set(key, (parts.get(key) ?? 0) + bytesInOutput);
  }
  return [...parts].sort((a, b) => b[1] - a[1]);
}

async function buildBundle(name: string, entry: string): Promise<Bundle> {
  const file = path.join(outDir, name, 'index.mjs');
  // The metafile only reports what went in; the bundle itself is what the CDK deploys.
  const result = await build({ ...esbuildOptionsFor(path.join(projectRoot, entry), file), metafile: true });
  const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  return { name, file, bytes: statSync(file).size, parts: partsOf(output?.inputs ?? {}) };
}

/** Milliseconds the dynamic import of the bundle took, measured inside a fresh `node`. */
function importOnce(bundle: Bundle): number {
  const script = [
    'const started = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
    'const elapsed = performance.now() - started;',
    "if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');",
    'process.stdout.write(JSON.stringify({ elapsed }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: childEnvironment,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) {
    throw new Error(`importing the ${bundle.name} bundle failed (exit ${String(child.status)}):\n${child.stderr}`);
  }
  return (JSON.parse(child.stdout) as { elapsed: number }).elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/**
 * Init times per bundle. Rounds go through every bundle in turn, so that a machine that
 * slows down during the run slows all bundles alike instead of the last one measured.
 */
function measureInit(bundles: readonly Bundle[]): Map<string, number[]> {
  const samples = new Map<string, number[]>(bundles.map((bundle) => [bundle.name, []]));
  for (const bundle of bundles) importOnce(bundle);
  for (let round = 0; round < runs; round += 1) {
    for (const bundle of bundles) samples.get(bundle.name)?.push(importOnce(bundle));
  }
  return samples;
}

const mark = (ok: boolean): string => (ok ? 'PASS' : 'OVER');

function printTable(rows: readonly string[][]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   '));
  }
}

/** Size and cold init of every HTTP module's Lambda bundle, built as the CDK builds it. */
export const bundlesSection: BenchSection = {
  title: 'Lambda bundles: size and cold init',
  async run(): Promise<void> {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });

    const baseline = await buildBundle('baseline', baselineEntry);
    const modules: Bundle[] = [];
    for (const module of httpModules) modules.push(await buildBundle(module.name, module.entry));

    const samples = measureInit([baseline, ...modules]);
    const baselineMs = median(samples.get(baseline.name) ?? []);

    const rows: string[][] = [['bundle', 'bytes', 'size', `init ms (median of ${runs})`, 'ratio', 'init']];
    for (const bundle of [baseline, ...modules]) {
      const ms = median(samples.get(bundle.name) ?? []);
      const ratio = ms / baselineMs;
      const isBaseline = bundle === baseline;
      rows.push([
        isBaseline ? 'baseline (DynamoDBClient only)' : bundle.name,
        bundle.bytes.toLocaleString('en-US'),
        mark(bundle.bytes <= bundleTargets.maxBytes),
        ms.toFixed(1),
        ratio.toFixed(2),
        isBaseline ? '-' : mark(ratio <= bundleTargets.maxInitRatio),
      ]);
    }
    printTable(rows);
    console.log('\nlargest parts (KiB):');
    for (const bundle of modules) {
      const top = bundle.parts.slice(0, 6).map(([part, bytes]) => `${part} ${(bytes / 1024).toFixed(0)}`);
      console.log(`  ${bundle.name}: ${top.join(', ')}`);
    }
    console.log(
      `\ntargets: bundle ≤ ${bundleTargets.maxBytes.toLocaleString('en-US')} bytes (1 MiB, minified, source map not counted); ` +
        `init ≤ ${bundleTargets.maxInitRatio} x baseline`,
    );
    console.log(
      `measured on Node ${process.versions.node} ${process.arch}, ${lambdaEnvironment['NODE_OPTIONS'] ?? ''} as on Lambda; ` +
        'absolute times differ from Lambda (nodejs22.x, arm64), ratios travel better. Bundles in .bench/bundles/.',
    );
  },
};
