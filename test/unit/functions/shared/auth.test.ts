import { describe, expect, it } from 'vitest';
import { actorFromEvent, claimNames, UnauthenticatedError } from '../../../../functions/shared/auth';
import { httpEvent, procurementClaims, type Claims } from './lambda-events';

const routeKey = 'GET /v1/segments';

function eventWith(claims: Claims | null): ReturnType<typeof httpEvent> {
  return httpEvent({ routeKey, claims });
}

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('actorFromEvent', () => {
  it('builds the actor from sub, tenant and a group array', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': ['procurement', 'admin'] });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor).toEqual({ userId: procurementClaims['sub'], tenantId: 'pudong', roles: ['procurement', 'admin'] });
  });

  it('reads API Gateway\'s flattened string "[procurement finance]" as two groups', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': '[procurement finance]' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual(['procurement', 'finance']);
  });

  it('reads a flattened string of one group without brackets', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': 'inspector' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual(['inspector']);
  });

  it('reads a group named "contractor,finance" as one group, which is no role (flattened string)', () => {
    // Prepare: API Gateway joins groups with spaces; a comma belongs to the group's name.
    const event = eventWith({ ...procurementClaims, 'cognito:groups': '[contractor,finance]', 'custom:contractor_id': 'ctr_huanwei01' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual([]);
  });

  it('reads a group named "contractor,finance" as one group, which is no role (array claim)', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': ['contractor,finance', 'inspector'] });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual(['inspector']);
  });

  it('splits a flattened string on whitespace only: "[finance, admin]" holds the group "finance," and the role admin', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': '[finance, admin]' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual(['admin']);
  });

  it('reads the empty flattened string "[]" as no roles', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': '[]' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual([]);
  });

  it('ignores groups that are not roles', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': '[pudong_Google inspector beta-testers]' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.roles).toEqual(['inspector']);
  });

  it('carries the contractor id of a contractor user', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'cognito:groups': ['contractor'], 'custom:contractor_id': 'ctr_huanwei01' });

    // Act
    const actor = actorFromEvent(event);

    // Assess
    expect(actor.contractorId).toBe('ctr_huanwei01');
  });

  it('leaves contractorId out (not undefined) when the claim is absent', () => {
    // Act
    const actor = actorFromEvent(eventWith(procurementClaims));

    // Assess
    expect(Object.keys(actor)).not.toContain('contractorId');
  });

  it('gives a user who belongs to no Cognito group (no cognito:groups claim) an actor without roles', () => {
    // Prepare: Cognito adds cognito:groups only for a user in at least one group.
    const { 'cognito:groups': _groups, ...claims } = procurementClaims;

    // Act
    const actor = actorFromEvent(eventWith(claims));

    // Assess
    expect(actor.roles).toEqual([]);
  });

  it('throws UnauthenticatedError when the event has no authorizer', () => {
    // Act
    const error = thrownBy(() => actorFromEvent(eventWith(null)));

    // Assess
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toBe('a bearer token is required');
  });

  it.each([claimNames.subject, claimNames.tenant])('throws UnauthenticatedError naming %s when it is missing', (claim) => {
    // Prepare
    const claims: Claims = { ...procurementClaims };
    delete claims[claim];

    // Act
    const error = thrownBy(() => actorFromEvent(eventWith(claims)));

    // Assess
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toContain(claim);
  });

  it('refuses an empty tenant claim', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'custom:tenant': '' });

    // Act
    const error = thrownBy(() => actorFromEvent(event));

    // Assess
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a tenant claim that is not a string', () => {
    // Prepare
    const event = eventWith({ ...procurementClaims, 'custom:tenant': 310115 });

    // Act
    const error = thrownBy(() => actorFromEvent(event));

    // Assess
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toContain('custom:tenant');
  });

  it('names UnauthenticatedError for logs', () => {
    // Act
    const error = new UnauthenticatedError('no token');

    // Assess
    expect(error.name).toBe('UnauthenticatedError');
    expect(error).toBeInstanceOf(Error);
  });
});
