import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../domain/errors';
import { actions as allActions, authorize, grantedRoles, isAllowed, isContractorScoped, roles, seesContractor, type Action, type Actor, type Role } from '../../../domain/policy';

const tenantId = 'huangpu';

function actorOf(role: Role, extra: Partial<Actor> = {}): Actor {
  return { userId: `u-${role}`, tenantId, roles: [role], ...(role === 'contractor' ? { contractorId: 'ctr_huanwei01' } : {}), ...extra };
}

/** The segment actions; other modules add their own actions and test them beside their use cases. */
type SegmentAction = Extract<Action, 'segment:read' | 'segment:write'>;

/** DESIGN §4: who may do what with segments, as a table the policy must reproduce exactly. */
const expected: Record<Role, Record<SegmentAction, boolean>> = {
  procurement: { 'segment:read': true, 'segment:write': true },
  contractor: { 'segment:read': true, 'segment:write': false },
  inspector: { 'segment:read': true, 'segment:write': false },
  finance: { 'segment:read': true, 'segment:write': false },
  admin: { 'segment:read': true, 'segment:write': true },
};

const actions: SegmentAction[] = ['segment:read', 'segment:write'];
const matrix = roles.flatMap((role) => actions.map((action) => ({ role, action, allowed: expected[role][action] })));

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('isAllowed: role x action', () => {
  it('knows the five roles of DESIGN §4', () => {
    // Assess
    expect([...roles].sort()).toEqual(['admin', 'contractor', 'finance', 'inspector', 'procurement']);
  });

  it.each(matrix)('$role may $action: $allowed', ({ role, action, allowed }) => {
    // Act
    const result = isAllowed(actorOf(role), action);

    // Assess
    expect(result).toBe(allowed);
  });

  it.each(matrix)('$role may $action on a record of its own tenant: $allowed', ({ role, action, allowed }) => {
    // Act
    const result = isAllowed(actorOf(role), action, { tenantId });

    // Assess
    expect(result).toBe(allowed);
  });

  it.each(roles)('%s may not read a record of another tenant', (role) => {
    // Act
    const result = isAllowed(actorOf(role), 'segment:read', { tenantId: 'pudong' });

    // Assess
    expect(result).toBe(false);
  });

  it.each(actions)('an actor without roles may not %s', (action) => {
    // Act
    const result = isAllowed({ userId: 'u-nobody', tenantId, roles: [] }, action, { tenantId });

    // Assess
    expect(result).toBe(false);
  });

  it('lets one allowing role suffice among several', () => {
    // Act
    const result = isAllowed(actorOf('finance', { roles: ['finance', 'admin'] }), 'segment:write');

    // Assess
    expect(result).toBe(true);
  });
});

describe('isAllowed: contractor users see only their contractor\'s records', () => {
  it('lets a contractor user read its own contractor\'s record', () => {
    // Act
    const result = isAllowed(actorOf('contractor'), 'segment:read', { tenantId, contractorId: 'ctr_huanwei01' });

    // Assess
    expect(result).toBe(true);
  });

  it('refuses a contractor user a record of another contractor', () => {
    // Act
    const result = isAllowed(actorOf('contractor'), 'segment:read', { tenantId, contractorId: 'ctr_lvhua02' });

    // Assess
    expect(result).toBe(false);
  });

  it('refuses a contractor user whose token has no contractor id a contractor\'s record', () => {
    // Prepare
    const actor: Actor = { userId: 'u-contractor', tenantId, roles: ['contractor'] };

    // Act
    const result = isAllowed(actor, 'segment:read', { tenantId, contractorId: 'ctr_huanwei01' });

    // Assess
    expect(result).toBe(false);
  });

  it('lets a contractor user read a tenant record that belongs to no contractor', () => {
    // Act
    const result = isAllowed(actorOf('contractor'), 'segment:read', { tenantId });

    // Assess
    expect(result).toBe(true);
  });

  it('refuses a contractor user its own contractor\'s record in another tenant', () => {
    // Act
    const result = isAllowed(actorOf('contractor'), 'segment:read', { tenantId: 'pudong', contractorId: 'ctr_huanwei01' });

    // Assess
    expect(result).toBe(false);
  });

  it('lets an inspector read any contractor\'s record of the tenant', () => {
    // Act
    const result = isAllowed(actorOf('inspector'), 'segment:read', { tenantId, contractorId: 'ctr_lvhua02' });

    // Assess
    expect(result).toBe(true);
  });
});

describe('isAllowed: the contractor role with other roles (issue 13)', () => {
  const mixed = (...others: Role[]): Actor => actorOf('contractor', { roles: ['contractor', ...others] });

  it.each(allActions)('grants [contractor, finance] %s exactly when it grants the contractor role', (action) => {
    // Act
    const result = isAllowed(mixed('finance'), action);

    // Assess
    expect(result).toBe(grantedRoles(action)!.includes('contractor'));
  });

  it.each(['procurement', 'inspector', 'finance', 'admin'] as const)('refuses [contractor, %s] a record of another contractor', (other) => {
    // Act
    const result = isAllowed(mixed(other), 'contract:read', { tenantId, contractorId: 'ctr_lvhua02' });

    // Assess
    expect(result).toBe(false);
  });

  it('lets [contractor, finance] read its own contractor\'s record', () => {
    // Act
    const result = isAllowed(mixed('finance'), 'statement:read', { tenantId, contractorId: 'ctr_huanwei01' });

    // Assess
    expect(result).toBe(true);
  });

  it.each(['statement:list', 'statement:compute', 'ranking:read', 'audit:read', 'tender:read'] as const)(
    'refuses [contractor, finance, admin] the desk action %s, which spans contractors or decides on them',
    (action) => {
      // Act
      const result = isAllowed(mixed('finance', 'admin'), action, { tenantId });

      // Assess
      expect(result).toBe(false);
    },
  );

  it('scopes to the contractor whenever the contractor role is present, in any order', () => {
    // Assess
    expect(isContractorScoped({ roles: ['finance', 'contractor'] })).toBe(true);
    expect(isContractorScoped({ roles: ['finance', 'admin'] })).toBe(false);
    expect(isContractorScoped({ roles: [] })).toBe(false);
  });

  it('sees a contractor\'s rows only when unscoped or its own', () => {
    // Assess
    expect(seesContractor({ roles: ['inspector'] }, 'ctr_lvhua02')).toBe(true);
    expect(seesContractor({ roles: ['finance', 'contractor'], contractorId: 'ctr_huanwei01' }, 'ctr_huanwei01')).toBe(true);
    expect(seesContractor({ roles: ['finance', 'contractor'], contractorId: 'ctr_huanwei01' }, 'ctr_lvhua02')).toBe(false);
    expect(seesContractor({ roles: ['contractor'] }, 'ctr_huanwei01')).toBe(false);
  });

  it('says why a desk role beside the contractor role does not count, in English and Chinese', () => {
    // Act
    const error = thrownBy(() => authorize(mixed('finance'), 'statement:compute'));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toBe(
      'role(s) contractor, finance may not statement:compute (a user holding the contractor role has only its grants, for its own contractor)',
    );
    expect((error as ForbiddenError).zh).toContain('作业单位');
  });
});

describe('authorize', () => {
  it('returns quietly when allowed', () => {
    // Act
    const result = authorize(actorOf('procurement'), 'segment:write', { tenantId });

    // Assess
    expect(result).toBeUndefined();
  });

  it('throws ForbiddenError naming the roles and the action', () => {
    // Act
    const error = thrownBy(() => authorize(actorOf('inspector'), 'segment:write'));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('role(s) inspector may not segment:write');
  });

  it('says "on this record" when the record is in the caller\'s tenant', () => {
    // Act
    const error = thrownBy(() => authorize(actorOf('contractor'), 'segment:read', { tenantId, contractorId: 'ctr_lvhua02' }));

    // Assess
    expect((error as Error).message).toBe('role(s) contractor may not segment:read on this record');
  });

  it('does not mention the record when it is another tenant\'s', () => {
    // Act
    const error = thrownBy(() => authorize(actorOf('admin'), 'segment:read', { tenantId: 'pudong' }));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('role(s) admin may not segment:read');
  });

  it('says "none" for an actor without roles', () => {
    // Act
    const error = thrownBy(() => authorize({ userId: 'u-nobody', tenantId, roles: [] }, 'segment:read'));

    // Assess
    expect((error as Error).message).toBe('role(s) none may not segment:read');
  });
});
