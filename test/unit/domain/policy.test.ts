import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../domain/errors';
import { authorize, isAllowed, roles, type Action, type Actor, type Role } from '../../../domain/policy';

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
