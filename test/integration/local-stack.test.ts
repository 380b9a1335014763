import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { roadGrades, segmentFlags } from '../../domain/segments/schema';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { HttpModuleManifest, RouteSpec } from '../../functions/shared/route';
import { buckets, envNames, mainTable, tables } from '../../infra/definitions';
import { localS3Client } from '../../infra/local/aws';
import { apiGatewayMaxBodyBytes } from '../../infra/local/http-adapter';
import { isAlive } from '../../infra/local/processes';
import { localBucketName, localTableName } from '../../infra/local/resources';
import { startLocalS3 } from '../../infra/local/s3';
import { demoContractorId, demoFeatureCollection, demoTenantId, demoToken, demoUsers, seedDemoDistrict } from '../../infra/local/seed';
import { DataDirInUseError, startLocalStack } from '../../infra/local/stack';
import { api, createApiClient, tokenFor, uniqueTenantId, type ApiClient } from '../helpers/api';
import { localDynamo, localS3, localStack } from '../helpers/local-stack';

/** A route spec for the fake echo module; only method, path and auth matter to the adapter. */
function echoRoute(method: RouteSpec['method'], path: string, auth: RouteSpec['auth'] = 'jwt'): RouteSpec {
  return {
    operationId: `echo${method}${path}`,
    method,
    path,
    summary: 'echo',
    tags: ['echo'],
    auth,
    success: { status: 200, description: 'the event', schema: z.unknown() },
    problems: [],
  };
}

const echoModule: HttpModuleManifest = {
  name: 'echo',
  entry: 'test/helpers/echo-handler.ts',
  routes: [
    echoRoute('GET', '/v1/echo/{itemId}'),
    echoRoute('POST', '/v1/echo/{itemId}'),
    echoRoute('GET', '/v1/echo/special'),
    echoRoute('GET', '/v1/public/echo', 'public'),
    echoRoute('PUT', '/v1/files/{key+}'),
  ],
  needs: { mainTable: 'none', idempotencyTable: false },
};

/** Read before any localStack() call writes the env: what this worker inherited. */
const inheritedDynamodbEndpoint = process.env[envNames.dynamodbEndpoint];

/** POSTs `size` bytes with chunked transfer encoding (no Content-Length); resolves the status. */
function chunkedUpload(url: string, size: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    req.end();
  });
}

interface Echo {
  readonly event: Record<string, any>;
  readonly context: Record<string, any>;
  readonly env: { tableName?: string };
}

describe('the local stack', () => {
  it('hands its endpoints and table names to the test workers, through inject and process.env', () => {
    const stack = localStack();

    expect(stack.env[envNames.mainTable]).toBe(localTableName(mainTable));
    expect(stack.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(isAlive(stack.javaPid)).toBe(true);
    // globalSetup wrote the env into the main process before the workers started.
    expect(inheritedDynamodbEndpoint).toBe(stack.dynamodbEndpoint);
  });

  it.each(tables.map((table) => [table.id, table] as const))('creates table %s with the keys, GSIs and TTL of infra/definitions.ts', async (_id, table) => {
    const name = localTableName(table);

    const { Table } = await localDynamo().send(new DescribeTableCommand({ TableName: name }));
    const ttl = await localDynamo().send(new DescribeTimeToLiveCommand({ TableName: name }));

    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      ...(table.sortKey === undefined ? [] : [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }]),
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`),
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes).toEqual(
      table.globalSecondaryIndexes.map((index) => ({
        name: index.indexName,
        keys: [`${index.partitionKey.name}:HASH`, `${index.sortKey.name}:RANGE`],
        projection: 'ALL',
      })),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject(
      table.timeToLiveAttribute === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: table.timeToLiveAttribute },
    );
  });

  it.each(buckets.map((bucket) => [bucket.id, bucket] as const))('creates bucket %s', async (_id, bucket) => {
    const answer = await localS3().send(new HeadBucketCommand({ Bucket: localBucketName(bucket) }));

    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(localStack().env[bucket.env]).toBe(localBucketName(bucket));
  });

  it('refuses a data folder another running stack holds, before starting Java', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiuhua-lock-'));
    // The vitest main process is alive and is not us: a lock it held would be live.
    writeFileSync(join(dataDir, 'xiuhua.lock'), JSON.stringify({ pid: process.ppid }));
    try {
      const started = Date.now();

      const attempt = startLocalStack({ dataDir });

      await expect(attempt).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(attempt).rejects.toThrow(/in use by another xiuhua local stack \(pid \d+\)/);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('passes each ObjectCreated notification of s3rver to onObjectCreated listeners, keyed as S3 sends it', async () => {
    const s3 = await startLocalS3({ buckets: ['notify-test'] });
    const client = localS3Client(s3.endpoint);
    const received: S3Event[] = [];
    const unsubscribe = s3.onObjectCreated((event) => {
      received.push(event);
    });
    try {
      await client.send(new PutObjectCommand({ Bucket: 'notify-test', Key: 'proofs/t1/c1/2025-03-12/task 1/photo.jpg', Body: Buffer.from('jpeg bytes') }));
      await s3.idle();
      unsubscribe();
      await client.send(new PutObjectCommand({ Bucket: 'notify-test', Key: 'after-unsubscribe.txt', Body: 'x' }));
      await s3.idle();
    } finally {
      client.destroy();
      await s3.stop();
    }

    expect(received).toHaveLength(1);
    expect(received[0]?.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'cn-north-1',
      s3: { bucket: { name: 'notify-test', arn: 'arn:aws:s3:::notify-test' }, object: { key: 'proofs/t1/c1/2025-03-12/task+1/photo.jpg', size: 10 } },
    });
  });
});

describe('the HTTP adapter', () => {
  let echo: ApiClient;
  const logged: Array<{ message: string; error: unknown }> = [];

  beforeAll(() => {
    echo = createApiClient({
      modules: [echoModule],
      logger: { error: (message, error) => logged.push({ message, error }) },
    });
  });

  it('turns a request into the API Gateway HTTP API v2 event', async () => {
    const token = await tokenFor(['procurement', 'finance'], { tenantId: 'pudong', sub: 'user-1' });
    const before = Date.now();

    const res = await echo.adapter.dispatch({
      method: 'POST',
      url: '/v1/echo/a%20b%2Fc%E8%B7%AF?grade=primary&flag=strict&flag=controlled&q=%E5%8D%97%E4%BA%AC&empty=&at=08:00+08:00&tz=%2B08:00',
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['Content-Type', 'application/json'],
        ['X-Custom', 'one'],
        ['x-custom', 'two'],
        ['Cookie', 'session=abc; theme=dark'],
        ['Host', '127.0.0.1:3000'],
        ['User-Agent', 'curl/8.5.0'],
      ],
      body: '{"name":"南京西路"}',
      sourceIp: '10.1.2.3',
    });
    const { event, context, env } = JSON.parse(res.body.toString()) as Echo;

    expect(res.statusCode).toBe(200);
    expect(res.headers['x-echo-module']).toBe('echo');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/echo/{itemId}',
      rawPath: '/v1/echo/a%20b%2Fc%E8%B7%AF',
      rawQueryString: 'grade=primary&flag=strict&flag=controlled&q=%E5%8D%97%E4%BA%AC&empty=&at=08:00+08:00&tz=%2B08:00',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { grade: 'primary', flag: 'strict,controlled', q: '南京', empty: '', at: '08:00 08:00', tz: '+08:00' },
      pathParameters: { itemId: 'a b/c路' },
      body: '{"name":"南京西路"}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'one,two',
      'user-agent': 'curl/8.5.0',
      host: '127.0.0.1:3000',
      'x-forwarded-for': '10.1.2.3',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '3000',
    });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.requestContext).toMatchObject({
      accountId: expect.stringMatching(/^\d{12}$/),
      apiId: expect.any(String),
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'POST', path: '/v1/echo/a%20b%2Fc%E8%B7%AF', protocol: 'HTTP/1.1', sourceIp: '10.1.2.3', userAgent: 'curl/8.5.0' },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      routeKey: 'POST /v1/echo/{itemId}',
      stage: '$default',
      time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
    });
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(res.headers['apigw-requestid']).toBe(event.requestContext.requestId);
    // Claims as API Gateway's JWT authorizer passes them: all strings, arrays flattened.
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'user-1',
      'cognito:groups': '[procurement finance]',
      'custom:tenant': 'pudong',
      iss: 'xiuhua-local',
      aud: 'xiuhua-local-client',
      exp: expect.stringMatching(/^\d+$/),
    });
    expect(event.requestContext.authorizer.jwt.scopes).toBeNull();
    expect(context).toMatchObject({
      functionName: 'xiuhua-echo',
      functionVersion: '$LATEST',
      invokedFunctionArn: expect.stringMatching(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:xiuhua-echo$/),
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/xiuhua-echo',
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(context['remainingMs']).toBeGreaterThan(28_000);
    expect(context['remainingMs']).toBeLessThanOrEqual(29_000);
    // The environment was in place when the handler module was imported.
    expect(env.tableName).toBe(localStack().tables.main);
  });

  it('omits what the request does not have, as API Gateway does', async () => {
    const res = await echo.request('GET', '/v1/public/echo');
    const { event } = res.json as Echo;

    expect(res.status).toBe(200);
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('body');
    expect(event['rawQueryString']).toBe('');
    expect(event['isBase64Encoded']).toBe(false);
    // A public route has no authorizer at all.
    expect(event['requestContext']).not.toHaveProperty('authorizer');
  });

  it('sends a binary body base64-encoded with isBase64Encoded', async () => {
    const token = await tokenFor('contractor', { tenantId: demoTenantId, contractorId: demoContractorId });
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);

    const res = await echo.request('PUT', '/v1/files/proofs/a/b.jpg', { token, body: bytes, headers: { 'content-type': 'image/jpeg' } });
    const { event } = res.json as Echo;

    expect(event['routeKey']).toBe('PUT /v1/files/{key+}');
    expect(event['pathParameters']).toEqual({ key: 'proofs/a/b.jpg' });
    expect(event['isBase64Encoded']).toBe(true);
    expect(Buffer.from(event['body'] as string, 'base64')).toEqual(bytes);
    expect(event['requestContext'].authorizer.jwt.claims['custom:contractor_id']).toBe(demoContractorId);
  });

  it('prefers a literal path segment over a parameter, as API Gateway picks the most specific route', async () => {
    const token = await tokenFor('inspector', { tenantId: 'pudong' });

    const special = await echo.request('GET', '/v1/echo/special', { token });
    const other = await echo.request('GET', '/v1/echo/other', { token });

    expect((special.json as Echo).event['routeKey']).toBe('GET /v1/echo/special');
    expect((other.json as Echo).event['routeKey']).toBe('GET /v1/echo/{itemId}');
  });

  it.each([
    ['no Authorization header', undefined, /bearer token is required/],
    ['a token signed with another key', tokenFor('admin', { tenantId: 'pudong', secret: 'not-the-dev-key' }), /signature verification failed/],
    ['an expired token', tokenFor('admin', { tenantId: 'pudong', expiresInSeconds: -60 }), /"exp" claim timestamp check failed/],
    ['a token for another audience', tokenFor('admin', { tenantId: 'pudong', audience: 'someone-else' }), /"aud" claim/],
    ['something that is not a JWT', Promise.resolve('not-a-jwt'), /not valid/],
  ])('answers 401 problem+json on a jwt route for %s', async (_case, tokenPromise, detail) => {
    const token = await tokenPromise;

    const res = await echo.request('GET', '/v1/echo/x', token === undefined ? {} : { token });

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: expect.stringMatching(detail) });
  });

  it('answers 404 problem+json for an unknown path, and for a known path with another method (API Gateway has no 405)', async () => {
    const unknown = await echo.request('GET', '/v2/nothing');
    const wrongMethod = await echo.request('DELETE', '/v1/public/echo');

    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');
    expect(unknown.json).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, instance: '/v2/nothing' });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.json).toMatchObject({ status: 404, detail: expect.stringContaining('accepts GET') });
  });

  it('answers 413 problem+json to a body over API Gateway’s 10 MiB, before any handler runs', async () => {
    const token = await tokenFor('procurement', { tenantId: 'pudong' });
    const body = Buffer.alloc(apiGatewayMaxBodyBytes + 1, 0x61);

    const res = await echo.request('POST', '/v1/echo/big', { token, body, headers: { 'content-type': 'text/plain' } });

    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ type: 'about:blank', status: 413, detail: expect.stringContaining(String(apiGatewayMaxBodyBytes)) });
  });

  it('answers 500 problem+json when the handler throws, and logs the error', async () => {
    logged.length = 0;

    const res = await echo.request('GET', '/v1/public/echo', { headers: { 'x-echo': 'throw' } });

    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    expect(res.text).not.toContain('on purpose');
    expect(logged).toHaveLength(1);
    expect((logged[0]?.error as Error).message).toBe('echo handler failed on purpose');
  });

  it('answers 503 problem+json when the handler outlives the integration timeout', async () => {
    const impatient = createApiClient({ modules: [echoModule], timeoutMs: 100, logger: { error: () => undefined } });

    const res = await impatient.request('GET', '/v1/public/echo', { headers: { 'x-echo': 'slow' } });

    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ status: 503 });
  });

  it.each([
    ['a bare string', 'string', 200, 'application/json', 'plain string result'],
    ['an object without statusCode', 'object', 200, 'application/json', '{"answer":42}'],
  ])('answers %s from the handler as a JSON 200, per payload format 2.0', async (_case, mode, status, type, body) => {
    const res = await echo.request('GET', '/v1/public/echo', { headers: { 'x-echo': mode } });

    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(type);
    expect(res.text).toBe(body);
  });

  it('decodes a base64 result and turns result cookies into Set-Cookie headers', async () => {
    const binary = await echo.request('GET', '/v1/public/echo', { headers: { 'x-echo': 'binary' } });
    const cookies = await echo.request('GET', '/v1/public/echo', { headers: { 'x-echo': 'cookies' } });

    expect(binary.raw.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(binary.headers['content-type']).toBe('image/png');
    expect(cookies.status).toBe(204);
    expect(cookies.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('serves the same dispatch on a real socket, with Set-Cookie, and 413 on an oversize body declared or chunked', async () => {
    const server = await echo.serve();
    try {
      const cookies = await fetch(`${server.url}/v1/public/echo`, { headers: { 'x-echo': 'cookies' } });
      const echoed = await fetch(`${server.url}/v1/public/echo?a=1&a=2`, { headers: { 'x-dup': 'x' } });
      const tooBig = await fetch(`${server.url}/v1/echo/big`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenFor('admin', { tenantId: 'pudong' })}`, 'content-type': 'text/plain' },
        body: Buffer.alloc(apiGatewayMaxBodyBytes + 1, 0x61),
      });
      const chunked = await chunkedUpload(`${server.url}/v1/echo/big`, apiGatewayMaxBodyBytes + 1, await tokenFor('admin', { tenantId: 'pudong' }));
      const { event } = (await echoed.json()) as Echo;

      expect(chunked).toBe(413);
      expect(cookies.status).toBe(204);
      expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
      expect(event['queryStringParameters']).toEqual({ a: '1,2' });
      expect(event['requestContext'].http.sourceIp).toBe('127.0.0.1');
      expect(tooBig.status).toBe(413);
      expect(tooBig.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await server.close();
    }
  });

  it('answers problem+json 431 to headers over API Gateway\'s 10 240 bytes, not Node\'s plain-text answer', async () => {
    // Prepare: one header of 12 000 bytes, sent on a raw socket so no client trims it.
    const server = await echo.serve();
    try {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write(`GET /v1/public/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(12_000)}\r\n\r\n`);
        });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      const ok = await fetch(`${server.url}/v1/public/echo`, { headers: { 'x-small': 'a'.repeat(8_000) } });

      // Act
      const [head, body] = raw.split('\r\n\r\n');

      // Assess: the status, the media type and a detail naming the limit; a header under it passes.
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head?.toLowerCase()).toContain('content-type: application/problem+json');
      expect(JSON.parse(body ?? '')).toMatchObject({ status: 431, title: 'Request Header Fields Too Large', detail: expect.stringContaining('10240 bytes') });
      expect(ok.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('the real handler modules behind the adapter', () => {
  it('serves GET /v1/openapi.json publicly', async () => {
    const res = await api.request<{ openapi: string; paths: Record<string, unknown> }>('GET', '/v1/openapi.json');

    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toContain('/v1/segments');
  });

  it('refuses /v1/segments without a token (401 from the gateway) and lists an empty tenant with one', async () => {
    const tenantId = uniqueTenantId('adapter');

    const anonymous = await api.request('GET', '/v1/segments');
    const listed = await api.request<{ items: unknown[] }>('GET', '/v1/segments', { token: await tokenFor('finance', { tenantId }) });

    expect(anonymous.status).toBe(401);
    expect(listed.status).toBe(200);
    expect(listed.json.items).toEqual([]);
  });

  it('serves the manifest on a real socket too', async () => {
    const server = await api.serve();
    try {
      const res = await fetch(`${server.url}/v1/openapi.json`);

      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      await server.close();
    }
  });
});

describe('the demo district seed', () => {
  let outcome: Awaited<ReturnType<typeof seedDemoDistrict>>;

  beforeAll(async () => {
    const stack = localStack();
    const client = createApiClient();
    outcome = await seedDemoDistrict({ dynamodbEndpoint: stack.dynamodbEndpoint, tableName: stack.tables.main, dispatch: client.adapter.dispatch });
  });

  afterAll(() => {
    localDynamo().destroy();
  });

  it('imports every demo feature through POST /v1/segments/imports and writes the tenant', async () => {
    const tenant = await localDynamo().send(
      new GetItemCommand({ TableName: localStack().tables.main, Key: { pk: { S: keys.tenant(demoTenantId).pk }, sk: { S: keys.tenant(demoTenantId).sk } } }),
    );

    expect(outcome.tenant).toBe('created');
    expect(outcome.segments).toMatchObject({ featureCount: demoFeatureCollection().features.length, created: demoFeatureCollection().features.length });
    expect(demoFeatureCollection().features.length).toBeGreaterThanOrEqual(30);
    expect(tenant.Item).toMatchObject({ entity: { S: 'Tenant' }, tenantId: { S: demoTenantId }, zone: { S: 'Asia/Shanghai' }, name: { S: '静安区城市管理局 (demo)' } });
  });

  it('is idempotent: a second run writes nothing', async () => {
    const stack = localStack();

    const again = await seedDemoDistrict({ dynamodbEndpoint: stack.dynamodbEndpoint, tableName: stack.tables.main, dispatch: createApiClient().adapter.dispatch });

    expect(again).toEqual({ tenant: 'existed', segments: 'skipped' });
  });

  it('covers three streets, every grade and both flags, and every role can read it', async () => {
    const tokens = await Promise.all(demoUsers.map((user) => demoToken(user)));
    const [procurement] = tokens;

    const all = await api.request<{ items: Array<{ street: string; geometry: { type: string } }> }>('GET', '/v1/segments?limit=200', { token: procurement! });
    const byGrade = await Promise.all(roadGrades.map((grade) => api.request<{ items: unknown[] }>('GET', `/v1/segments?grade=${grade}&limit=1`, { token: procurement! })));
    const byFlag = await Promise.all(segmentFlags.map((flag) => api.request<{ items: unknown[] }>('GET', `/v1/segments?flag=${flag}&limit=1`, { token: procurement! })));
    const perRole = await Promise.all(tokens.map((token) => api.request('GET', '/v1/segments?limit=1', { token })));

    expect(all.json.items).toHaveLength(demoFeatureCollection().features.length);
    expect(new Set(all.json.items.map((segment) => segment.street)).size).toBe(3);
    expect(new Set(all.json.items.map((segment) => segment.geometry.type))).toEqual(new Set(['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']));
    expect(byGrade.map((res) => res.json.items.length)).toEqual(roadGrades.map(() => 1));
    expect(byFlag.map((res) => res.json.items.length)).toEqual(segmentFlags.map(() => 1));
    expect(perRole.map((res) => res.status)).toEqual(demoUsers.map(() => 200));
  });
});
