import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/**
 * A fake HTTP module for adapter tests: answers with the event and context it was given.
 * The `x-echo` header picks another behaviour: `throw`, `string` (a bare string result),
 * `object` (an object without statusCode), `binary` (a base64 result), `cookies`, `slow`.
 */
export async function handler(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2 | string | Record<string, unknown>> {
  switch (event.headers['x-echo']) {
    case 'throw':
      throw new Error('echo handler failed on purpose');
    case 'string':
      return 'plain string result';
    case 'object':
      return { answer: 42 };
    case 'binary':
      return { statusCode: 200, headers: { 'content-type': 'image/png' }, isBase64Encoded: true, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64') };
    case 'cookies':
      return { statusCode: 204, cookies: ['a=1; Path=/', 'b=2; HttpOnly'] };
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { statusCode: 200, body: 'late' };
    default:
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'X-Echo-Module': 'echo' },
        body: JSON.stringify({
          event,
          context: {
            awsRequestId: context.awsRequestId,
            functionName: context.functionName,
            functionVersion: context.functionVersion,
            invokedFunctionArn: context.invokedFunctionArn,
            memoryLimitInMB: context.memoryLimitInMB,
            logGroupName: context.logGroupName,
            remainingMs: context.getRemainingTimeInMillis(),
          },
          env: { tableName: process.env['TABLE_NAME'] },
        }),
      };
  }
}
