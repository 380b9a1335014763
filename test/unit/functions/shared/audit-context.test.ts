import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntryOf, auditItemOf, auditPut, daysOf } from '../../../../functions/adapters/dynamodb/audit-log';
import { currentAuditContext, reasonOf, runWithAuditContext, withSystemAudit, type AuditContext } from '../../../../functions/shared/audit-context';
import { httpModule, route } from '../../../../functions/shared/http';
import type { RouteSpec } from '../../../../functions/shared/route';
import { systemClock } from '../../../../functions/shared/system';

/* The audit table's name comes from the environment, as in a Lambda. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const realNow = systemClock.now;
afterEach(() => {
  systemClock.now = realNow;
});

const change = { tenantId: 't1', entity: 'Segment', entityId: 'seg_1', beforeVersion: 1, afterVersion: 2, status: 'retired' };

describe('audit context', () => {
  it('is what the running unit of work set, across awaits, and nothing outside it', async () => {
    // Prepare
    const context: AuditContext = { actor: { system: 'missed-task-sweep' }, requestId: 'req-1', action: 'missedTaskSweep' };

    // Act
    const seen = await runWithAuditContext(context, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentAuditContext();
    });

    // Assess
    expect(seen).toBe(context);
    expect(currentAuditContext()).toBeUndefined();
  });

  it("takes a body's reason only when it is a non-empty string", () => {
    // Assess
    expect([reasonOf({ reason: '道路拆除' }), reasonOf({ reason: '' }), reasonOf({ reason: 3 }), reasonOf(['reason']), reasonOf(undefined)]).toEqual(['道路拆除', undefined, undefined, undefined, undefined]);
  });

  it("runs an event handler under its function's name, its action and Lambda's request id", async () => {
    // Prepare
    const handler = withSystemAudit('contract-expiry', 'contractExpiry', async (_event: unknown) => currentAuditContext());

    // Act
    const inLambda = await handler({}, { awsRequestId: 'aws-req-7' });
    const direct = await handler({});

    // Assess
    expect(inLambda).toEqual({ actor: { system: 'contract-expiry' }, requestId: 'aws-req-7', action: 'contractExpiry' });
    expect(direct?.actor).toEqual({ system: 'contract-expiry' });
    expect(direct?.requestId).toMatch(/^local-contract-expiry-/);
  });

  it("runs every HTTP route under the caller, the route's operationId, API Gateway's request id and the body's reason", async () => {
    // Prepare: a route that reports the context it runs in.
    const spec = {
      operationId: 'retireThing',
      method: 'POST',
      path: '/v1/things/{thingId}/retire',
      summary: 'test',
      tags: ['test'],
      auth: 'jwt',
      authz: { scope: 'tenant', action: 'segment:write' },
      params: z.object({ thingId: z.string() }),
      body: z.object({ reason: z.string() }),
      success: { status: 200, description: 'ok' },
      problems: [400],
    } as const satisfies RouteSpec;
    const handler = httpModule([route(spec, async () => ({ status: 200, body: currentAuditContext() }))]);
    const event = {
      routeKey: 'POST /v1/things/{thingId}/retire',
      rawPath: '/v1/things/x/retire',
      headers: { 'content-type': 'application/json' },
      pathParameters: { thingId: 'x' },
      body: JSON.stringify({ reason: '坏了' }),
      isBase64Encoded: false,
      requestContext: {
        requestId: 'apigw-req-42',
        authorizer: { jwt: { claims: { sub: 'user-9', 'custom:tenant': 't1', 'cognito:groups': '[procurement inspector]' } } },
      },
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const answer = await handler(event, { awsRequestId: 'lambda-req', functionName: 'f' } as Context);

    // Assess
    expect(typeof answer === 'object' && answer.statusCode).toBe(200);
    expect(JSON.parse((answer as { body: string }).body)).toEqual({
      tenantId: 't1',
      actor: { sub: 'user-9', roles: ['procurement', 'inspector'] },
      requestId: 'apigw-req-42',
      action: 'retireThing',
      reason: '坏了',
    });
  });
});

describe('audit entries', () => {
  it("record the running context's actor, action, request and reason, systemClock's time and the change", () => {
    // Prepare: a virtual clock, as the fault suite runs one.
    systemClock.now = () => new Date('2026-03-01T15:59:59.999Z');
    const context: AuditContext = { tenantId: 't1', actor: { sub: 'u1', roles: ['procurement'] }, requestId: 'r1', action: 'retireSegment', reason: '拆除' };

    // Act
    const entry = runWithAuditContext(context, () => auditEntryOf(change));
    const item = auditItemOf(entry);

    // Assess
    expect(entry).toMatchObject({ ...change, at: '2026-03-01T15:59:59.999Z', action: 'retireSegment', actor: { sub: 'u1', roles: ['procurement'] }, requestId: 'r1', reason: '拆除' });
    expect(entry.entryId).toMatch(/^[0-9A-Z]{26}$/);
    expect(item).toMatchObject({
      pk: 'AUDIT#t1#Segment#seg_1',
      sk: `2026-03-01T15:59:59.999Z#${entry.entryId}`,
      gsi1pk: 'AUDIT#t1#2026-03-01',
      gsi1sk: `2026-03-01T15:59:59.999Z#${entry.entryId}`,
    });
  });

  it('are unattributed outside any context (seeds, fixtures), never dropped', () => {
    // Act
    const entry = auditEntryOf(change);

    // Assess
    expect(entry).toMatchObject({ actor: { system: 'unattributed' }, action: 'unattributed', requestId: 'none' });
    expect(entry).not.toHaveProperty('reason');
  });

  it('are put only where the key is new, into the audit table', () => {
    // Act
    const put = auditPut(change).Put!;

    // Assess
    expect(put.TableName).toBe('xiuhua-unit-audit');
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('refuse an entity the log does not know (a store naming it wrong fails in tests, not silently)', () => {
    // Assess
    expect(() => auditEntryOf({ ...change, entity: 'Segmnet' })).toThrow(RangeError);
  });

  it('are found per tenant over the UTC days a range touches', () => {
    // Assess
    expect(daysOf({ from: '2026-02-27T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(daysOf({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' })).toEqual(['2026-03-01']);
  });
});
