import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { httpModules } from '../../../../functions/http/manifest';
import type { LazyRoute } from '../../../../functions/shared/lazy-module';
import { routeKeyOf } from '../../../../functions/shared/route';

const root = path.resolve(__dirname, '../../../..');

/** Issue 16: every module's entry is a table of lazily imported routes (functions/shared/lazy-module.ts). */
describe.each(httpModules.map((module) => [module.name, module] as const))('the %s entry', (_name, module) => {
  it('lists exactly the manifest routes, in a table of route keys and loaders', async () => {
    // Prepare
    const entry = (await import(pathToFileURL(path.join(root, module.entry)).href)) as { routes?: readonly LazyRoute[] };

    // Act
    const listed = (entry.routes ?? []).map((route) => route.routeKey);

    // Assess
    expect([...listed].sort(), `${module.entry} must export its lazy route table as \`routes\` (functions/shared/lazy-module.ts)`).toEqual(module.routes.map(routeKeyOf).sort());
  });

  it('loads, for each key, the route of that key', async () => {
    // Prepare
    const entry = (await import(pathToFileURL(path.join(root, module.entry)).href)) as { routes?: readonly LazyRoute[] };

    // Act
    const loaded = await Promise.all((entry.routes ?? []).map(async (route) => [route.routeKey, routeKeyOf((await route.load()).spec)]));

    // Assess
    expect(loaded.filter(([listed, actual]) => listed !== actual)).toEqual([]);
  });

  it('imports nothing at its top but the lazy module (no schema, SDK, middy or idempotency)', () => {
    // Act
    const imports = [...readFileSync(path.join(root, module.entry), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);

    // Assess
    expect(imports, `${module.entry}: list the routes with lazyRoute(key, () => import(...)) and export lazyHttpModule(routes), as the other modules do (issue 16)`).toEqual(['../../shared/lazy-module']);
  });

  it('has an idempotency runner when a route is idempotent', () => {
    // Act
    const source = readFileSync(path.join(root, module.entry), 'utf8');

    // Assess
    expect(source.includes('runIdempotently')).toBe(module.routes.some((spec) => spec.idempotent === true));
  });
});
