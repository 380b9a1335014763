import { describe, expect, it } from 'vitest';
import { actions, grantedRoles, roles } from '../../../../domain/policy';
import { httpModules } from '../../../../functions/http/manifest';
import { routeKeyOf, type HttpModuleManifest, type RouteSpec } from '../../../../functions/shared/route';
// The temporary allow-list of modules still being written (issue 7); the lead empties it.
import { pendingAuthzModules } from '../../../authz/pending-modules';

/**
 * Every problem with the authorization data of `modules` (issue 8: "adding a route to the route
 * table without a policy entry fails a test"). A route needs `authz`; a `jwt` route names an
 * action (and further actions) the policy grants; a route is `public` in `authz` exactly when it
 * is `public` in `auth`.
 */
function authzProblems(modules: readonly HttpModuleManifest[], pending: readonly string[]): string[] {
  const problems: string[] = [];
  for (const module of modules) {
    for (const spec of module.routes) {
      const where = `${module.name}: ${routeKeyOf(spec)} (${spec.operationId})`;
      const authz = spec.authz;
      if (authz === undefined) {
        if (!pending.includes(module.name)) problems.push(`${where} has no authz`);
        continue;
      }
      if ((authz.scope === 'public') !== (spec.auth === 'public')) {
        problems.push(`${where}: auth '${spec.auth}' but authz scope '${authz.scope}'`);
      }
      if (authz.scope === 'public') continue;
      for (const action of [authz.action, ...(authz.alsoRequires ?? [])]) {
        const granted = grantedRoles(action);
        if (granted === undefined) problems.push(`${where}: action '${action}' has no grant in domain/policy.ts`);
        else if (granted.length === 0) problems.push(`${where}: action '${action}' is granted to no role`);
      }
    }
  }
  return problems;
}

const fakeRoute = (overrides: Partial<RouteSpec>): RouteSpec => ({
  operationId: 'fake',
  method: 'GET',
  path: '/v1/fake',
  summary: 'fake',
  tags: ['fake'],
  auth: 'jwt',
  success: { status: 200, description: 'fake' },
  problems: [],
  ...overrides,
});

const fakeModule = (name: string, routes: RouteSpec[]): HttpModuleManifest => ({
  name,
  entry: `functions/http/${name}/index.ts`,
  routes,
  needs: { mainTable: 'none', idempotencyTable: false },
});

describe('route authorization data (issue 8)', () => {
  it('every route of the manifest names a granted policy action, or is public exactly when its auth is', () => {
    expect(authzProblems(httpModules, pendingAuthzModules)).toEqual([]);
  });

  it('the check refuses a route added without authz, with an unknown action, or public on one side only', () => {
    const modules = [
      fakeModule('newcomer', [
        fakeRoute({ operationId: 'noAuthz' }),
        // A typo'd action: the type system stops this in a route file, data from elsewhere not.
        fakeRoute({ operationId: 'unknownAction', authz: { scope: 'tenant', action: 'made:up' as never } }),
        fakeRoute({ operationId: 'publicMismatch', auth: 'public', authz: { scope: 'tenant', action: 'segment:read' } }),
        fakeRoute({ operationId: 'jwtMismatch', authz: { scope: 'public' } }),
        fakeRoute({ operationId: 'fine', authz: { scope: 'own-contractor', action: 'task:read' } }),
      ]),
    ];
    const problems = authzProblems(modules, []);
    expect(problems).toEqual([
      'newcomer: GET /v1/fake (noAuthz) has no authz',
      "newcomer: GET /v1/fake (unknownAction): action 'made:up' has no grant in domain/policy.ts",
      "newcomer: GET /v1/fake (publicMismatch): auth 'public' but authz scope 'tenant'",
      "newcomer: GET /v1/fake (jwtMismatch): auth 'jwt' but authz scope 'public'",
    ]);
    // The allow-list excuses a missing authz only, never a wrong one.
    expect(authzProblems(modules, ['newcomer'])).toEqual(problems.slice(1));
  });

  it('grantedRoles answers the grant row of a known action and undefined for an unknown name', () => {
    expect(grantedRoles('proof:review')).toEqual(['inspector']);
    expect(grantedRoles('made:up')).toBeUndefined();
    expect(grantedRoles('toString')).toBeUndefined();
    for (const action of actions) expect(grantedRoles(action)!.every((role) => roles.includes(role))).toBe(true);
  });

  it('the public routes are the Open311 endpoints and the OpenAPI document, nothing else', () => {
    const publicRoutes = httpModules.flatMap((m) => m.routes.filter((r) => r.auth === 'public').map((r) => `${m.name}:${r.operationId}`));
    expect(publicRoutes.sort()).toEqual(
      [
        'meta:getOpenApi',
        'open311:open311Discovery',
        'open311:open311DiscoveryXml',
        'open311:open311Fallback',
        'open311:open311GetRequest',
        'open311:open311GetServiceDefinition',
        'open311:open311ListRequests',
        'open311:open311ListRequestsXml',
        'open311:open311ListServices',
        'open311:open311ListServicesXml',
        'open311:open311ReopenRequest',
        'open311:open311SubmitRequest',
        'open311:open311SubmitRequestXml',
      ].sort(),
    );
  });

  it('the temporary allow-list names only modules that still have a route without authz', () => {
    const stale = pendingAuthzModules.filter((name) => {
      const module = httpModules.find((m) => m.name === name);
      return module !== undefined && module.routes.every((spec) => spec.authz !== undefined);
    });
    expect(stale, 'every route of these modules has authz now: remove them from pendingAuthzModules').toEqual([]);
  });
});
