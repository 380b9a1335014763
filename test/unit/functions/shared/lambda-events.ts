import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

/**
 * Synthetic API Gateway HTTP API (payload format 2.0) events and a minimal Lambda context,
 * shaped as API Gateway hands them to a handler: lowercased header names, path and query
 * parameters as strings, the body as a string, the JWT authorizer's claims under
 * `requestContext.authorizer.jwt.claims`.
 */

export type Claims = Record<string, string | number | boolean | string[]>;

/** Claims of a procurement officer of the Pudong tenant, as Cognito would issue them. */
export const procurementClaims: Claims = {
  sub: '5f1c2a7e-8d4b-4c1e-9a53-0b7e6f2d1c01',
  'cognito:groups': ['procurement'],
  'custom:tenant': 'pudong',
};

export interface EventInput {
  readonly routeKey: string;
  readonly rawPath?: string;
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  /** The authorizer's claims; `null` for an event that carries no authorizer at all. */
  readonly claims?: Claims | null;
  readonly requestId?: string;
}

export const defaultRequestId = 'Yx3KpgGXtjMEbcA=';

/** An HTTP API v2 event; `body` given as an object is JSON-encoded with a JSON content type. */
export function httpEvent(input: EventInput): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = input.routeKey.split(' ');
  const rawPath = input.rawPath ?? path;
  const requestContext: APIGatewayProxyEventV2['requestContext'] = {
    accountId: '123456789012',
    apiId: 'r3pmxmplak',
    domainName: 'r3pmxmplak.execute-api.cn-north-1.amazonaws.com.cn',
    domainPrefix: 'r3pmxmplak',
    http: {
      method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.7',
      userAgent: 'vitest',
    },
    requestId: input.requestId ?? defaultRequestId,
    routeKey: input.routeKey,
    stage: '$default',
    time: '12/Mar/2025:08:30:00 +0000',
    timeEpoch: 1_741_768_200_000,
  };
  const base: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(input.queryStringParameters ?? {}).toString(),
    headers: { host: requestContext.domainName, ...input.headers },
    requestContext,
    isBase64Encoded: input.isBase64Encoded ?? false,
    ...(input.pathParameters === undefined ? {} : { pathParameters: input.pathParameters }),
    ...(input.queryStringParameters === undefined ? {} : { queryStringParameters: input.queryStringParameters }),
    ...(input.body === undefined ? {} : { body: input.body }),
  };
  const claims = input.claims === undefined ? procurementClaims : input.claims;
  if (claims === null) return base;
  const withJwt: APIGatewayProxyEventV2WithJWTAuthorizer = {
    ...base,
    requestContext: { ...requestContext, authorizer: { jwt: { claims, scopes: null } } },
  };
  return withJwt;
}

/** The smallest Lambda context the middy stack and the Powertools logger accept. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'xiuhua-test-widgets',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:xiuhua-test-widgets',
    memoryLimitInMB: '256',
    awsRequestId: '0b6f5c3e-1d2a-4e8f-9c7b-3a4d5e6f7a8b',
    logGroupName: '/aws/lambda/xiuhua-test-widgets',
    logStreamName: '2025/03/12/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The response body parsed as JSON (fails the test when there is none). */
export function jsonBody(response: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  if (response.body === undefined) throw new Error(`response ${response.statusCode} has no body`);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** The `errors[].field` list of a problem response. */
export function problemFields(response: APIGatewayProxyStructuredResultV2): string[] {
  const errors = jsonBody(response)['errors'] as { field: string }[] | undefined;
  return (errors ?? []).map((error) => error.field);
}
