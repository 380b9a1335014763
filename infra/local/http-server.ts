import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The socket side of the local API: a node:http server on loopback that reads each request
 * and writes the answer of a dispatch function (http-adapter.ts), plus the answers API
 * Gateway gives by itself. Kept free of handler and SDK imports so `npm start` can take its
 * port within a moment of starting, before anything heavy loads.
 */

/** API Gateway HTTP API's request payload limit ("10 MB"; we read it as MiB). */
export const apiGatewayMaxBodyBytes = 10 * 1024 * 1024;

/**
 * API Gateway HTTP API's quota on the request line and headers together ("10240 bytes"): the
 * local server refuses what AWS would, so a client too big for the gateway fails here first.
 */
export const apiGatewayMaxHeaderBytes = 10_240;

/** A request as the adapter needs it: from a socket (serve) or built in-process (tests, seed). */
export interface AdapterRequest {
  readonly method: string;
  /** Path and query as sent on the request line, e.g. `/v1/segments?grade=primary`. */
  readonly url: string;
  /** Raw header pairs in arrival order (duplicates kept), or a plain object. */
  readonly headers?: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer | string;
  readonly sourceIp?: string;
  readonly protocol?: string;
}

/** The HTTP answer, before it is written to a socket. */
export interface AdapterResponse {
  readonly statusCode: number;
  /** Lower-case names. Set-Cookie values are in `cookies`, one per cookie. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** A running socket server for the adapter. */
export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Thrown when the API port is taken; start.ts prints its message and exits non-zero. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number, readonly host: string, options?: { cause?: unknown }) {
    super(`port ${port} on ${host} is in use`, options);
  }
}

/**
 * Serves `dispatch` over HTTP on `host:port` (port 0 picks a free one). Listening happens
 * before anything else in `npm start`, so a second copy fails on the port at once.
 */
export async function serveHttp(
  dispatch: (request: AdapterRequest) => Promise<AdapterResponse>,
  options: { readonly port: number; readonly host?: string },
): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer({ maxHeaderSize: apiGatewayMaxHeaderBytes }, (req, res) => {
    handleSocketRequest(dispatch, req, res).catch((error: unknown) => {
      // dispatch never throws; this is a failure to write the answer (client gone).
      res.destroy(error instanceof Error ? error : undefined);
    });
  });
  // A request Node cannot parse (headers over the limit, a malformed request line) never
  // reaches the handler above; Node's own answer is a bare text/plain 431 or 400. Answer
  // problem+json as every other refusal of the API does, then close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(rawResponse(clientErrorProblem(error)));
  });
  await new Promise<void>((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, host, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        // Answers in flight are finished; idle keep-alive sockets go now; anything still
        // open after a grace period is cut, so Ctrl-C never waits on a slow client.
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        force.unref();
        server.close((error) => {
          clearTimeout(force);
          if (error === undefined) resolveClose();
          else reject(error);
        });
        server.closeIdleConnections();
      }),
  };
}

async function handleSocketRequest(
  dispatch: (request: AdapterRequest) => Promise<AdapterResponse>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = splitUrl(req.url ?? '/').path;
  const tooLarge = (size: number): AdapterResponse =>
    gatewayProblem(413, apiGatewayRequestId(), path, `the request body is ${size} bytes; API Gateway accepts at most ${apiGatewayMaxBodyBytes}`);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > apiGatewayMaxBodyBytes) {
    // Refuse before reading an upload we would throw away; close the connection so the
    // client stops sending.
    writeResponse(res, tooLarge(declared), true);
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // A chunked upload has no declared length: read it all, but keep bytes only up to the limit.
    if (size <= apiGatewayMaxBodyBytes) chunks.push(buffer);
  }
  if (size > apiGatewayMaxBodyBytes) {
    writeResponse(res, tooLarge(size), true);
    return;
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const answer = await dispatch({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: pairs,
    body: Buffer.concat(chunks),
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    protocol: `HTTP/${req.httpVersion}`,
  });
  writeResponse(res, answer, false);
}

function writeResponse(res: ServerResponse, answer: AdapterResponse, close: boolean): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (answer.cookies.length > 0) res.setHeader('set-cookie', [...answer.cookies]);
  res.setHeader('content-length', answer.body.length);
  if (close) res.setHeader('connection', 'close');
  res.statusCode = answer.statusCode;
  res.end(answer.body);
}

/** The problem for a request Node's parser refused: 431 for headers over the limit, else 400. */
export function clientErrorProblem(error: NodeJS.ErrnoException): AdapterResponse {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return gatewayProblem(431, apiGatewayRequestId(), '', `the request line and headers exceed ${apiGatewayMaxHeaderBytes} bytes, API Gateway's limit; send fewer or shorter headers`);
  }
  return gatewayProblem(400, apiGatewayRequestId(), '', 'the request could not be parsed as HTTP/1.1');
}

/** An answer as bytes on a socket the HTTP server no longer writes for (clientError). */
function rawResponse(answer: AdapterResponse): Buffer {
  const head = [
    `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? 'Error'}`,
    ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${answer.body.length}`,
    'connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), answer.body]);
}

/** `/a/b?x=1` → path `/a/b`, query `x=1` (both raw, as sent). */
export function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

/** API Gateway's request ids look like `JLvV2iSdoAMEJnQ=`; a uuid is enough locally. */
export function apiGatewayRequestId(): string {
  return randomUUID();
}

/**
 * A problem+json answer made by the gateway itself (no handler ran). API Gateway would say
 * `{"message":"Not Found"}` and the like; we keep its status and speak RFC 9457 as our
 * handlers do, with `about:blank` and the status phrase as title.
 */
export function gatewayProblem(status: number, requestId: string, instance: string, detail: string, headers: Record<string, string> = {}): AdapterResponse {
  const body = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    // Empty when the request could not be parsed far enough to know its path.
    ...(instance === '' ? {} : { instance }),
    requestId,
  };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'apigw-requestid': requestId, ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  };
}

/** 401 with the challenge API Gateway's JWT authorizer sends. */
export function unauthorized(requestId: string, instance: string, detail: string): AdapterResponse {
  return gatewayProblem(401, requestId, instance, detail, { 'www-authenticate': 'Bearer realm="xiuhua-local"' });
}

/**
 * The adapter's answer when nothing is wired yet (start.ts serves the port before the
 * storage is up so that a second copy fails fast on it).
 */
export function startingUpResponse(url: string): AdapterResponse {
  return gatewayProblem(503, apiGatewayRequestId(), splitUrl(url).path, 'the local stack is still starting; try again in a moment', { 'retry-after': '1' });
}
