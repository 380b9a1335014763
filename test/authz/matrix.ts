import { grantedRoles, type Role } from '../../domain/policy';
import type { RouteSpec } from '../../functions/shared/route';
import type { MatrixRequest } from './requests';

/**
 * The expectations of the authorization matrix (issue 8), computed from a route's `authz` and
 * the domain policy's grants, never listed by hand; and the judgement of one answer.
 */

/** Whose records the request names, seen from the caller. */
export type Context = 'own' | 'other-contractor' | 'other-tenant';
export type TokenKind = 'valid' | 'none' | 'expired' | 'wrong-key';

export interface Check {
  readonly module: string;
  readonly spec: RouteSpec;
  /** `anonymous` for public routes, which are asked once per token kind. */
  readonly role: Role | 'anonymous';
  readonly context: Context;
  readonly token: TokenKind;
  readonly request: MatrixRequest;
  /** Ids that must not appear in a 2xx answer to this caller. */
  readonly forbiddenIds: ReadonlySet<string>;
  readonly idempotencyKey?: string;
  /** Why this check exists beyond the plain matrix (e.g. an idempotency replay). */
  readonly note?: string;
  /**
   * A token other than the role's own (issue 13): `contractor+finance` and `contractor+admin`
   * hold the contractor role with a desk role and are judged as the contractor they are held
   * to; `comma-group` holds one Cognito group named `contractor,finance`, which is no role.
   */
  readonly caller?: MixedCaller;
}

export const mixedCallers = ['contractor+finance', 'contractor+admin', 'comma-group'] as const;
export type MixedCaller = (typeof mixedCallers)[number];

export type FindingKind = 'leak' | 'wrongly-refused' | 'wrongly-allowed' | 'not-refused-first' | 'server-error';

export interface Finding {
  readonly kind: FindingKind;
  readonly check: Check;
  readonly status: number;
  readonly detail: string;
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** True when every action the route authorizes is granted to `role`. */
export function isGranted(spec: RouteSpec, role: Role): boolean {
  const authz = spec.authz;
  if (authz === undefined || authz.scope === 'public') return false;
  return [authz.action, ...(authz.alsoRequires ?? [])].every((action) => grantedRoles(action)?.includes(role) === true);
}

/** What the check expects, in words for the report. */
export function expectationOf(check: Check): string {
  if (check.spec.auth === 'public') return 'public: anything but 401 or 5xx';
  if (check.token !== 'valid') return '401';
  if (check.role === 'anonymous' || !isGranted(check.spec, check.role)) return hidesExistence(check) ? '403 or 404' : '403';
  return check.context === 'own' ? 'past authorization (not 401/403)' : '403/404, or 2xx without the other party\'s rows';
}

function hidesExistence(check: Check): boolean {
  const authz = check.spec.authz;
  return check.context !== 'own' || (authz !== undefined && authz.scope !== 'public' && authz.hidesExistence === true);
}

/** The findings of one answer (none when it is as the policy says). */
export function judge(check: Check, answer: Answer): Finding[] {
  const findings: Finding[] = [];
  const found = (kind: FindingKind, detail: string): void => void findings.push({ kind, check, status: answer.status, detail });
  const ok = answer.status >= 200 && answer.status < 300;
  if (answer.status >= 500) found('server-error', answer.text.slice(0, 300));
  if (ok && check.forbiddenIds.size > 0) {
    const seen = [...check.forbiddenIds].filter((id) => answer.text.includes(id));
    if (seen.length > 0) found('leak', `the answer holds ${seen.join(', ')}`);
  }
  if (check.spec.auth === 'public') {
    if (answer.status === 401) found('wrongly-refused', 'a public route asked for a token');
    return findings;
  }
  if (check.token !== 'valid') {
    if (answer.status !== 401) found(ok ? 'wrongly-allowed' : 'not-refused-first', `a ${check.token} token was answered ${answer.status}, not 401`);
    return findings;
  }
  if (answer.status === 401) {
    found('wrongly-refused', 'a valid token was refused (401)');
    return findings;
  }
  if (check.note !== undefined && ok) {
    found('wrongly-allowed', `${check.note}: answered ${answer.status}${answer.headers['idempotent-replayed'] === 'true' ? ' (replayed)' : ''}`);
    return findings;
  }
  const role = check.role as Role;
  if (isGranted(check.spec, role)) {
    if (check.context === 'own') {
      if (answer.status === 403) found('wrongly-refused', `${role} may ${describeAction(check.spec)} but got 403`);
      else if (answer.status === 404 && hidesExistence(check)) found('wrongly-refused', `${role} may ${describeAction(check.spec)} its own record but got 404`);
    } else if (ok && check.request.method !== 'GET') {
      // A change answered 2xx on the other party's record went past the ownership check.
      const foreign = [...check.forbiddenIds].filter((id) => check.request.path.includes(id));
      if (foreign.length > 0) found('wrongly-allowed', `changed a record of the other party (${foreign.join(', ')})`);
    }
    return findings;
  }
  if (ok) found('wrongly-allowed', `${role} may not ${describeAction(check.spec)} but got ${answer.status}`);
  else if (answer.status !== 403 && !(answer.status === 404 && hidesExistence(check))) {
    found('not-refused-first', `${role} may not ${describeAction(check.spec)}; expected ${expectationOf(check)}, got ${answer.status}: ${answer.text.slice(0, 200)}`);
  }
  return findings;
}

function describeAction(spec: RouteSpec): string {
  const authz = spec.authz;
  return authz === undefined || authz.scope === 'public' ? spec.operationId : [authz.action, ...(authz.alsoRequires ?? [])].join(' + ');
}
