import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { httpModule, ok, route } from '../../../../functions/shared/http';
import { cachedTenantZones, holdsInstants, instantInZone, instantsInZone, isInstant } from '../../../../functions/shared/instants';
import type { RouteSpec } from '../../../../functions/shared/route';
import { httpEvent, jsonBody, lambdaContext } from './lambda-events';

describe('instantInZone', () => {
  it('places a stored UTC instant in Asia/Shanghai with its offset, milliseconds only when there are some', () => {
    // Prepare
    const stored = ['2026-12-07T06:00:00.000Z', '2026-12-07T06:00:00.250Z', '2026-12-31T16:30:00Z'];

    // Act
    const placed = stored.map((instant) => instantInZone(instant, 'Asia/Shanghai'));

    // Assess
    expect(placed).toEqual(['2026-12-07T14:00:00+08:00', '2026-12-07T14:00:00.250+08:00', '2027-01-01T00:30:00+08:00']);
    placed.forEach((instant, index) => expect(Date.parse(instant)).toBe(Date.parse(stored[index]!)));
  });

  it('moves an instant given with another offset and leaves one already in the zone as it is', () => {
    // Prepare
    const tokyo = '2026-12-07T15:00:00+09:00';
    const shanghai = '2026-12-07T14:00:00+08:00';

    // Act
    const fromTokyo = instantInZone(tokyo, 'Asia/Shanghai');
    const again = instantInZone(shanghai, 'Asia/Shanghai');

    // Assess
    expect(fromTokyo).toBe(shanghai);
    expect(again).toBe(shanghai);
  });

  it("uses the zone's own offset, daylight saving included", () => {
    // Prepare
    const summer = '2026-07-01T12:00:00.000Z';

    // Act
    const berlin = instantInZone(summer, 'Europe/Berlin');

    // Assess
    expect(berlin).toBe('2026-07-01T14:00:00+02:00');
  });

  it('leaves dates, months, times of day, ids and text holding an instant unchanged', () => {
    // Prepare
    const notInstants = ['2026-12-07', '2026-12', '05:00', '2026-12-07T06:00', 'tsk_2026-12-07T06:00:00.000Z', '巡查于 2026-12-07T06:00:00Z', '2026-13-40T25:00:00Z'];

    // Act
    const placed = notInstants.map((text) => instantInZone(text, 'Asia/Shanghai'));

    // Assess
    expect(placed).toEqual(notInstants);
    expect(notInstants.some(isInstant)).toBe(false);
  });

  it('refuses a zone that does not exist instead of answering a wrong offset', () => {
    // Prepare
    const stored = '2026-12-07T06:00:00.000Z';

    // Act
    const act = (): string => instantInZone(stored, 'Mars/Olympus');

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('instantsInZone', () => {
  it('places every instant of a nested answer and nothing else, without changing the value given', () => {
    // Prepare
    const answer = {
      orderId: 'rec_01',
      dueAt: '2026-12-08T06:00:00.000Z',
      answers: [{ capturedAt: '2026-12-07T09:15:30.000Z', note: '已清理', photos: 2 }],
      late: { markedAt: '2026-12-08T06:05:00.000Z', penalty: { pointsX100: 400 } },
      localDate: '2026-12-07',
      closedAt: null,
    };
    const copy = structuredClone(answer);

    // Act
    const placed = instantsInZone(answer, 'Asia/Shanghai');

    // Assess
    expect(placed).toEqual({
      orderId: 'rec_01',
      dueAt: '2026-12-08T14:00:00+08:00',
      answers: [{ capturedAt: '2026-12-07T17:15:30+08:00', note: '已清理', photos: 2 }],
      late: { markedAt: '2026-12-08T14:05:00+08:00', penalty: { pointsX100: 400 } },
      localDate: '2026-12-07',
      closedAt: null,
    });
    expect(answer).toEqual(copy);
  });

  it('tells whether an answer holds any instant at all', () => {
    // Prepare
    const withOne = { items: [{ at: { when: '2026-12-07T06:00:00Z' } }] };
    const withNone = { items: [{ date: '2026-12-07', month: '2026-12', count: 3 }] };

    // Act
    const found = [holdsInstants(withOne), holdsInstants(withNone)];

    // Assess
    expect(found).toEqual([true, false]);
  });
});

describe('cachedTenantZones', () => {
  it("reads a tenant's zone once per minute, each tenant on its own", async () => {
    // Prepare
    let now = 0;
    const read = vi.fn(async (tenantId: string) => (tenantId === 'urumqi' ? 'Asia/Urumqi' : 'Asia/Shanghai'));
    const zones = cachedTenantZones(read, () => now);

    // Act
    const first = [await zones('gulou'), await zones('gulou'), await zones('urumqi')];
    now = 60_001;
    const later = await zones('gulou');

    // Assess
    expect(first).toEqual(['Asia/Shanghai', 'Asia/Shanghai', 'Asia/Urumqi']);
    expect(later).toBe('Asia/Shanghai');
    expect(read.mock.calls.map(([tenantId]) => tenantId)).toEqual(['gulou', 'urumqi', 'gulou']);
  });
});

describe('the HTTP stack answers instants in the tenant zone', () => {
  const spec = {
    operationId: 'getThing',
    method: 'GET',
    path: '/v1/things/{thingId}',
    summary: 'a thing',
    tags: ['things'],
    auth: 'jwt',
    params: z.object({ thingId: z.string() }),
    success: { status: 200, description: 'the thing' },
    problems: [401],
  } as const satisfies RouteSpec;
  const stored = { thingId: 'thg_1', dueAt: '2026-12-08T06:00:00.000Z', items: [{ at: '2026-12-07T23:59:59.999Z' }], version: 3 };

  it("rewrites the route's answer with the caller's tenant zone, and keeps its ETag", async () => {
    // Prepare
    const tenantZone = vi.fn(async () => 'Asia/Shanghai');
    const handler = httpModule([route(spec, async () => ok(stored))], { tenantZone });
    const event = httpEvent({ routeKey: 'GET /v1/things/{thingId}', rawPath: '/v1/things/thg_1', pathParameters: { thingId: 'thg_1' } });

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toEqual({ thingId: 'thg_1', dueAt: '2026-12-08T14:00:00+08:00', items: [{ at: '2026-12-08T07:59:59.999+08:00' }], version: 3 });
    expect(result.headers?.['etag']).toBe('"3"');
    expect(tenantZone).toHaveBeenCalledWith('pudong');
  });

  it('reads no zone for an answer without instants', async () => {
    // Prepare
    const tenantZone = vi.fn(async () => 'Asia/Shanghai');
    const handler = httpModule([route(spec, async () => ok({ thingId: 'thg_1', date: '2026-12-07' }))], { tenantZone });
    const event = httpEvent({ routeKey: 'GET /v1/things/{thingId}', rawPath: '/v1/things/thg_1', pathParameters: { thingId: 'thg_1' } });

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(jsonBody(result)).toEqual({ thingId: 'thg_1', date: '2026-12-07' });
    expect(tenantZone).not.toHaveBeenCalled();
  });
});
