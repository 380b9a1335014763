import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { httpModules } from '../../functions/http/manifest';
import { openApiDocument } from '../../functions/shared/openapi';
import { esbuildOptionsFor, projectRoot } from '../../infra/constructs/lambda';
import { httpEvent, lambdaContext } from '../unit/functions/shared/lambda-events';

/**
 * Bundles as the CDK builds them (issue 16): what a cold container loads for one route is
 * decided by how esbuild splits the code, so these tests read the bundle's own metafile and
 * run its handler, rather than trusting the sources.
 */

const outRoot = mkdtempSync(path.join(tmpdir(), 'xiuhua-bundles-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

async function bundle(name: string): Promise<{ readonly file: string; readonly metafile: Metafile }> {
  const module = httpModules.find((candidate) => candidate.name === name)!;
  const file = path.join(outRoot, name, 'index.mjs');
  const result = await build({ ...esbuildOptionsFor(path.join(projectRoot, module.entry), file), metafile: true });
  return { file, metafile: result.metafile };
}

/** The outputs a route's first request loads: the entry, the route's chunk and what they import statically. */
function staticClosure(metafile: Metafile, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const output = stack.pop()!;
    if (seen.has(output)) continue;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) stack.push(imported.path);
    }
  }
  return seen;
}

function outputOf(metafile: Metafile, source: string): string {
  // A dynamically imported module is an entry point of its own chunk; shared code sits in chunks without one.
  const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint?.endsWith(source) ?? Object.keys(output.inputs).some((input) => input.endsWith(source)));
  if (found === undefined) throw new Error(`no output holds ${source}`);
  return found[0];
}

const packagesOf = (metafile: Metafile, outputs: Iterable<string>): Set<string> =>
  new Set([...outputs].flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {})).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'ours'));

describe('Lambda bundles (issue 16)', () => {
  it('the meta bundle serves the document its sources build, without the generator or the route schemas in it', async () => {
    // Arrange
    const { file, metafile } = await bundle('meta');
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };

    // Act
    const answer = await handler(httpEvent({ routeKey: 'GET /v1/openapi.json', claims: null }), lambdaContext());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(openApiDocument(httpModules));
    const inputs = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(inputs.filter((input) => input.includes('zod-to-openapi') || input.includes('functions/http/manifest') || input.includes('build-document'))).toEqual([]);
    const code = readdirSync(path.dirname(file), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.mjs'));
    expect(code.some((name) => readFileSync(path.join(path.dirname(file), name), 'utf8').includes('build-document'))).toBe(false);
  }, 120_000);

  it('a route that touches no object loads no S3 SDK, and one that signs does, from a chunk of its own', async () => {
    // Arrange
    const { metafile } = await bundle('inspections');
    const entry = outputOf(metafile, 'functions/http/inspections/index.ts');
    const http = outputOf(metafile, 'functions/shared/http.ts');

    // Act
    const listing = packagesOf(metafile, staticClosure(metafile, [entry, http, outputOf(metafile, 'inspections/list-inspections.ts')]));
    const sdk = packagesOf(metafile, staticClosure(metafile, [outputOf(metafile, 'functions/shared/s3-sdk.ts')]));

    // Assess
    expect(listing.has('@aws-sdk/client-dynamodb')).toBe(true);
    expect([...listing].filter((name) => name.startsWith('@aws-sdk/client-s3') || name.startsWith('@aws-sdk/s3-'))).toEqual([]);
    expect(sdk.has('@aws-sdk/client-s3')).toBe(true);
    expect(sdk.has('@aws-sdk/s3-presigned-post')).toBe(true);
  }, 120_000);

  it('an SDK client in a bundle builds its user agent and sends, with bowser left out', async () => {
    // Arrange
    const file = path.join(outRoot, 'sdk-request', 'index.mjs');
    await build(esbuildOptionsFor(path.join(projectRoot, 'test', 'infra', 'fixtures', 'sdk-request.ts'), file));
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: () => Promise<{ error: string; userAgent: string }> };

    // Act
    const sent = await handler();

    // Assess
    expect(sent.error).toMatch(/ECONNREFUSED/);
    expect(sent.userAgent).toMatch(/^aws-sdk-js\/\S+ .*md\/nodejs/);
  }, 120_000);
});
