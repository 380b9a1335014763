import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateWindowKey } from '../../functions/adapters/dynamodb/client-rate-limit';
import { open311ClientLimit, open311IntakeThrottle, submitRequestRoute } from '../../functions/http/open311/routes';
import { RouteThrottles } from '../../infra/local/http-adapter';
import { api, createApiClient } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Open311 intake is rate-limited (issue 13: 63 anonymous complaints in 6 s, each raising an
 * order). Two limits: each client's share, counted in the main table by the shared HTTP edge
 * (the same code in Lambda and locally), and the route's throttle for everyone, which API
 * Gateway applies in AWS and the local adapter applies the same way. The other suites run
 * with XIUHUA_RATE_LIMITS=off (vitest.config.ts); this one turns the limits on.
 */

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
/**
 * Schema-valid, for a jurisdiction that does not exist and with a key no one issued: each is a
 * counted request that the use case refuses (403 for the key, or 404 for the jurisdiction).
 */
const validBody = form({ jurisdiction_id: 'no-such-district', service_code: 'cleaning-litter', lat: '31.25', long: '121.53', description: '垃圾未清', api_key: 'k' });
const path = '/open311/v2/requests.json';
const group = open311ClientLimit.group;
/** What the use case answers validBody: 403 (no such key) once keys are required, else 404. */
let reached: number;
beforeAll(async () => {
  process.env['XIUHUA_RATE_LIMITS'] = 'off';
  reached = (await api.request('POST', path, { body: validBody, headers: formHeaders, sourceIp: '192.0.2.1' })).status;
  expect([403, 404]).toContain(reached);
});

let saved: string | undefined;
beforeEach(() => {
  saved = process.env['XIUHUA_RATE_LIMITS'];
  delete process.env['XIUHUA_RATE_LIMITS'];
});
afterEach(() => {
  if (saved === undefined) delete process.env['XIUHUA_RATE_LIMITS'];
  else process.env['XIUHUA_RATE_LIMITS'] = saved;
});

/** One client's requests, one after the other (the route throttle refills meanwhile: 5/s). */
async function sequentially(count: number, sourceIp: string, body = validBody): Promise<{ status: number; headers: Readonly<Record<string, string>>; json: unknown }[]> {
  const answers = [];
  for (let i = 0; i < count; i += 1) {
    answers.push(await api.request('POST', path, { body, headers: formHeaders, sourceIp }));
    await new Promise((resolve) => setTimeout(resolve, 1000 / open311IntakeThrottle.rateLimit));
  }
  return answers;
}

describe('Open311 intake per client', { timeout: 60_000 }, () => {
  it(`answers 429 with Retry-After and a GeoReport error once a client has sent ${open311ClientLimit.requests} in its window`, async () => {
    // Prepare: a client address of its own, so the window is fresh.
    const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

    // Act
    const answers = await sequentially(open311ClientLimit.requests + 1, client);
    const other = await api.request('POST', path, { body: validBody, headers: formHeaders, sourceIp: '203.0.113.9' });

    // Assess: the limit's requests reach the use case (403/404, see validBody); the next is refused.
    expect(answers.slice(0, -1).map((answer) => answer.status)).toEqual(Array(open311ClientLimit.requests).fill(reached));
    const refused = answers.at(-1)!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(open311ClientLimit.perSeconds);
    expect(refused.json).toEqual([{ code: 429, description: expect.stringContaining(`at most ${open311ClientLimit.requests} such requests per ${open311ClientLimit.perSeconds} s`) }]);
    expect(other.status).toBe(reached);
    const xml = await api.request('POST', '/open311/v2/requests.xml', { body: validBody, headers: formHeaders, sourceIp: client });
    expect(xml.status).toBe(429);
  });

  it('counts nothing for a refused request: malformed bodies are 400 each and write no counter', async () => {
    // Prepare: no service_code.
    const client = '192.0.2.77';
    const malformed = form({ jurisdiction_id: 'no-such-district', lat: '31.25', long: '121.53' });
    const started = Date.now();

    // Act
    const answers = await sequentially(open311ClientLimit.requests + 2, client, malformed);

    // Assess
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([400]));
    const windowMs = open311ClientLimit.perSeconds * 1000;
    const counter = await DynamoDBDocumentClient.from(localDynamo()).send(
      new GetCommand({ TableName: localStack().tables.main, Key: rateWindowKey(group, client, Math.floor(started / windowMs) * windowMs) }),
    );
    expect(counter.Item).toBeUndefined();
  });

  it('is off with XIUHUA_RATE_LIMITS=off, as the bulk suites run', async () => {
    // Prepare
    process.env['XIUHUA_RATE_LIMITS'] = 'off';
    const client = '192.0.2.200';

    // Act
    const answers = await sequentially(open311ClientLimit.requests + 1, client);

    // Assess
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([reached]));
  });
});

describe('Open311 intake for all clients together (the route throttle)', () => {
  it(`lets a burst of ${open311IntakeThrottle.burstLimit} through and answers the rest 429 before any handler runs`, async () => {
    // Prepare: an adapter of its own, so its token bucket is full; requests from many addresses.
    const client = createApiClient();
    const burst = open311IntakeThrottle.burstLimit + 5;

    // Act: all at once (the bucket is taken before the first await of each dispatch).
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) => client.request('POST', path, { body: validBody, headers: formHeaders, sourceIp: `10.1.${i}.1` })),
    );

    // Assess
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === reached)).toHaveLength(open311IntakeThrottle.burstLimit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    const throttled = answers.find((answer) => answer.status === 429)!;
    expect(throttled.headers['content-type']).toBe('application/problem+json');
    expect(throttled.headers['retry-after']).toBe('1');
  });
});

describe('RouteThrottles (the local stand-in for API Gateway route throttling)', () => {
  it('refills at the rate and never above the burst', () => {
    // Prepare
    const throttles = new RouteThrottles();
    const at = 1_000_000;

    // Act
    const first = Array.from({ length: open311IntakeThrottle.burstLimit + 1 }, () => throttles.take(submitRequestRoute, at));
    const afterOneSecond = Array.from({ length: open311IntakeThrottle.rateLimit + 1 }, () => throttles.take(submitRequestRoute, at + 1000));
    const afterAnHour = Array.from({ length: open311IntakeThrottle.burstLimit + 1 }, () => throttles.take(submitRequestRoute, at + 3_600_000));

    // Assess: undefined is a token taken; a string is the refusal.
    const refusals = (takes: (string | undefined)[]): number => takes.filter((take) => take !== undefined).length;
    expect(refusals(first)).toBe(1);
    expect(refusals(afterOneSecond)).toBe(1);
    expect(refusals(afterAnHour)).toBe(1);
    expect(first.at(-1)).toContain('5 requests per second');
  });
});
