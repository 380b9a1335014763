import { describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../functions/shared/route';
import { isGranted, judge, type Answer, type Check } from './matrix';

/**
 * The matrix's judge on made-up answers: a matrix that cannot fail proves nothing, so each
 * kind of finding is shown to be found, and each allowed answer to pass.
 */

const spec = (authz: RouteSpec['authz'], method: RouteSpec['method'] = 'GET'): RouteSpec => ({
  operationId: 'fake',
  method,
  path: '/v1/fake/{id}',
  summary: 'fake',
  tags: ['fake'],
  auth: authz?.scope === 'public' ? 'public' : 'jwt',
  ...(authz === undefined ? {} : { authz }),
  success: { status: 200, description: 'fake' },
  problems: [],
});

const proofRead = spec({ scope: 'own-contractor', action: 'proof:read', hidesExistence: true });
const proofReview = spec({ scope: 'own-contractor', action: 'proof:review' }, 'POST');

function check(overrides: Partial<Check>): Check {
  return {
    module: 'fake',
    spec: proofRead,
    role: 'inspector',
    context: 'own',
    token: 'valid',
    request: { method: 'GET', path: '/v1/fake/prf_a', headers: {}, params: {}, query: {} },
    forbiddenIds: new Set(),
    ...overrides,
  };
}

const answer = (status: number, text = '{}', headers: Record<string, string> = {}): Answer => ({ status, text, headers });
const kinds = (c: Check, a: Answer): string[] => judge(c, a).map((finding) => finding.kind);

describe('judge', () => {
  it('derives grants from the policy: proof:review is the inspector’s only', () => {
    expect(isGranted(proofReview, 'inspector')).toBe(true);
    expect(isGranted(proofReview, 'contractor')).toBe(false);
    expect(isGranted(spec({ scope: 'tenant', action: 'tender:write', alsoRequires: ['proof:review'] }), 'procurement')).toBe(false);
  });

  it('finds a denied role answered 2xx, and accepts 403 (and 404 where the route hides records)', () => {
    expect(kinds(check({ spec: proofReview, role: 'finance' }), answer(200))).toEqual(['wrongly-allowed']);
    expect(kinds(check({ spec: proofReview, role: 'finance' }), answer(403))).toEqual([]);
    expect(kinds(check({ spec: proofReview, role: 'finance' }), answer(404))).toEqual(['not-refused-first']);
    expect(kinds(check({ spec: spec({ scope: 'own-contractor', action: 'proof:review', hidesExistence: true }), role: 'finance' }), answer(404))).toEqual([]);
    expect(kinds(check({ spec: proofReview, role: 'finance' }), answer(412))).toEqual(['not-refused-first']);
  });

  it('finds an allowed role refused on its own record, but not a business answer', () => {
    expect(kinds(check({ role: 'contractor' }), answer(403))).toEqual(['wrongly-refused']);
    expect(kinds(check({ role: 'contractor' }), answer(404))).toEqual(['wrongly-refused']);
    expect(kinds(check({ spec: proofReview }), answer(412))).toEqual([]);
    expect(kinds(check({ spec: proofReview }), answer(409))).toEqual([]);
  });

  it("finds another party's ids in a 2xx answer, and a change answered 2xx on its record", () => {
    const foreign = new Set(['prf_b']);
    expect(kinds(check({ role: 'contractor', context: 'other-contractor', forbiddenIds: foreign }), answer(200, '{"items":[{"proofId":"prf_b"}]}'))).toEqual(['leak']);
    expect(kinds(check({ role: 'contractor', context: 'other-contractor', forbiddenIds: foreign }), answer(200, '{"items":[]}'))).toEqual([]);
    expect(kinds(check({ role: 'contractor', context: 'other-contractor', forbiddenIds: foreign }), answer(404))).toEqual([]);
    const change = check({ spec: proofReview, context: 'other-tenant', forbiddenIds: foreign, request: { method: 'POST', path: '/v1/fake/prf_b', headers: {}, params: {}, query: {} } });
    expect(kinds(change, answer(200, '{}'))).toEqual(['wrongly-allowed']);
  });

  it('wants 401 for a missing, expired or wrongly signed token, and no 401 on a public route', () => {
    expect(kinds(check({ token: 'expired' }), answer(401))).toEqual([]);
    expect(kinds(check({ token: 'wrong-key' }), answer(200))).toEqual(['wrongly-allowed']);
    expect(kinds(check({ token: 'none' }), answer(403))).toEqual(['not-refused-first']);
    expect(kinds(check({ spec: spec({ scope: 'public' }), role: 'anonymous', token: 'none' }), answer(401))).toEqual(['wrongly-refused']);
    expect(kinds(check({ spec: spec({ scope: 'public' }), role: 'anonymous', token: 'expired' }), answer(200))).toEqual([]);
  });

  it('finds a replayed answer given to a caller the route refuses, and 5xx anywhere', () => {
    expect(kinds(check({ spec: proofReview, role: 'finance', note: 'replay' }), answer(201, '{}', { 'idempotent-replayed': 'true' }))).toEqual(['wrongly-allowed']);
    expect(kinds(check({ spec: proofReview, role: 'finance', note: 'replay' }), answer(403))).toEqual([]);
    expect(kinds(check({}), answer(500))).toEqual(['server-error']);
  });
});
