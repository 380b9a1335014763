import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { S3ServiceException, type S3Client } from '@aws-sdk/client-s3';

/**
 * The fault injector of `npm run test:faults` (issue 8): an SDK middleware placed right after
 * the client's `retryMiddleware` (finalizeRequest step), so every ATTEMPT of every call goes
 * through it and the SDK's own retry strategy sees the injected error exactly as it would see
 * AWS's: same exception classes, `name`, `$fault`, `$metadata.httpStatusCode`.
 *
 * Kinds (per attempt, drawn from a seeded generator):
 * - `ProvisionedThroughputExceededException`, `ThrottlingException` (DynamoDB, 400, throttling);
 * - `InternalServerError` (DynamoDB 500) and `S3 InternalError` (500), `S3 SlowDown` (503);
 * - `timeout (before send)`: the attempt never reached the service (TimeoutError);
 * - `timeout (response lost)`: the write WAS sent and done, then the answer is dropped and a
 *   TimeoutError thrown: the realistic case that tests conditional writes and request tokens;
 * - `UnprocessedKeys` / `UnprocessedItems`: a BatchGetItem / BatchWriteItem really sent with only
 *   part of its keys / items, the rest returned as unprocessed (the caller must retry them);
 * - `TransactionConflict`: a TransactWriteItems answered with TransactionCanceledException whose
 *   reasons name TransactionConflict (not sent: nothing written, as in DynamoDB).
 *
 * Reproducible: each decision is a hash of (seed, script step, the call's index within the
 * step, attempt), not a shared stream, so a handler's parallel calls do not shift the draws of
 * the others; the one source of variation is the order in which parallel calls of one step
 * START (a handler's Promise.all whose members first await different I/O).
 */

export const faultKinds = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
  'timeout (before send)',
  'timeout (response lost)',
  'UnprocessedKeys',
  'UnprocessedItems',
  'TransactionConflict',
  'S3 SlowDown',
  'S3 InternalError',
  'S3 timeout (before send)',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultRates {
  /** Chance that one attempt of a DynamoDB call fails (split among the kinds that fit the operation). */
  readonly dynamodb: number;
  /** Chance that a BatchGetItem / BatchWriteItem attempt answers with part of it unprocessed. */
  readonly batch: number;
  /** Chance that a TransactWriteItems attempt is cancelled for a conflict. */
  readonly transactionConflict: number;
  readonly s3: number;
}

const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** FNV-1a over the text, then one round of mulberry32: a uniform number in [0, 1). */
export function draw(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let t = (hash + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface CallState {
  readonly index: number;
  readonly step: string;
  attempts: number;
  injected: number;
}

/** Middleware context fields the injector reads (set by the SDK). */
interface SdkContext {
  readonly commandName?: string;
  readonly __aws_sdk_context?: { readonly features?: Record<string, string> };
}

interface SerializedRequest {
  body?: unknown;
  headers: Record<string, string>;
}

export class FaultInjector {
  /** Off: every attempt passes untouched (the clean run installs nothing; this is for set-up steps). */
  enabled = false;
  readonly injected = new Map<FaultKind, number>();
  /** SDK calls (commands sent) and attempts, per service. */
  calls = 0;
  attempts = 0;
  /** Calls that failed after the SDK's retries with an injected error last (surfaced to the handler). */
  surfaced = 0;
  #step = 'setup';
  #callsInStep = 0;
  readonly #calls = new WeakMap<object, CallState>();

  constructor(
    readonly seed: number,
    readonly rates: FaultRates,
  ) {
    for (const kind of faultKinds) this.injected.set(kind, 0);
  }

  /** The script's current step (a stable label); call indexes restart per step. */
  set step(label: string) {
    this.#step = label;
    this.#callsInStep = 0;
  }

  get totalInjected(): number {
    return [...this.injected.values()].reduce((sum, count) => sum + count, 0);
  }

  get retries(): number {
    return this.attempts - this.calls;
  }

  #count(kind: FaultKind, call: CallState): void {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    call.injected += 1;
  }

  #callOf(context: object): CallState {
    let call = this.#calls.get(context);
    if (call === undefined) {
      this.#callsInStep += 1;
      call = { index: this.#callsInStep, step: this.#step, attempts: 0, injected: 0 };
      this.#calls.set(context, call);
      this.calls += 1;
    }
    return call;
  }

  /** Adds the middleware to a DynamoDB client (and so to every DocumentClient built on it). */
  installDynamo(client: DynamoDBClient): void {
    relativeStack(client).addRelativeTo(
      (next, context) => async (args) => {
        const ctx = context as SdkContext;
        const operation = (ctx.commandName ?? 'Unknown').replace(/Command$/, '');
        if (!this.enabled) return next(args);
        const call = this.#callOf(context);
        call.attempts += 1;
        this.attempts += 1;
        const roll = (what: string): number => draw(`${this.seed}|${call.step}|${call.index}|${call.attempts}|${what}`);
        const request = args.request as SerializedRequest;
        const isWrite = writeOperations.has(operation);

        if (operation === 'TransactWriteItems' && roll('conflict') < this.rates.transactionConflict) {
          this.#count('TransactionConflict', call);
          throw transactionConflict(request);
        }
        if ((operation === 'BatchGetItem' || operation === 'BatchWriteItem') && roll('batch') < this.rates.batch) {
          const partial = await withheldBatch(operation, request, roll, ctx, next, args);
          if (partial !== undefined) {
            this.#count(operation === 'BatchGetItem' ? 'UnprocessedKeys' : 'UnprocessedItems', call);
            return partial;
          }
        }
        const dice = roll('fault');
        if (dice < this.rates.dynamodb) {
          const kinds: FaultKind[] = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError', 'timeout (before send)', ...(isWrite ? (['timeout (response lost)'] as const) : [])];
          const kind = kinds[Math.floor(roll('kind') * kinds.length)]!;
          this.#count(kind, call);
          if (kind === 'timeout (response lost)') {
            await next(args);
            throw timeoutError();
          }
          throw dynamoError(kind);
        }
        return next(args);
      },
      { name: 'xiuhuaFaultInjector', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
    );
    this.#installSurfaceCounter(client);
  }

  /** Adds the middleware to an S3 client. */
  installS3(client: S3Client): void {
    relativeStack(client).addRelativeTo(
      (next, context) => async (args) => {
        if (!this.enabled) return next(args);
        const call = this.#callOf(context);
        call.attempts += 1;
        this.attempts += 1;
        const roll = (what: string): number => draw(`${this.seed}|${call.step}|${call.index}|${call.attempts}|${what}`);
        if (roll('fault') < this.rates.s3) {
          const kinds: FaultKind[] = ['S3 SlowDown', 'S3 InternalError', 'S3 timeout (before send)'];
          const kind = kinds[Math.floor(roll('kind') * kinds.length)]!;
          this.#count(kind, call);
          throw kind === 'S3 timeout (before send)' ? timeoutError() : s3Error(kind);
        }
        return next(args);
      },
      { name: 'xiuhuaFaultInjector', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
    );
    this.#installSurfaceCounter(client);
  }

  /** Outside the retry loop: a call that still failed with an injected fault on its last attempt. */
  #installSurfaceCounter(client: DynamoDBClient | S3Client): void {
    type Handler = (args: unknown) => Promise<unknown>;
    const stack = client.middlewareStack as unknown as { add(middleware: (next: Handler, context: object) => Handler, options: Record<string, unknown>): void };
    stack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const call = this.#calls.get(context);
          if (this.enabled && call !== undefined && call.injected > 0 && isInjected(error)) this.surfaced += 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'xiuhuaFaultSurfaceCounter', override: true },
    );
  }
}

interface FinalizeArgs {
  request: unknown;
  input: unknown;
}
type FinalizeNext = (args: FinalizeArgs) => Promise<{ output: unknown; response: unknown }>;
interface RelativeStack {
  addRelativeTo(middleware: (next: FinalizeNext, context: object) => FinalizeNext, options: Record<string, unknown>): void;
}
function relativeStack(client: DynamoDBClient | S3Client): RelativeStack {
  return client.middlewareStack as unknown as RelativeStack;
}

/** A serialized request body as text (the SDK hands a Uint8Array or a string). */
function bodyText(body: unknown): string {
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return typeof body === 'string' ? body : '{}';
}

const injectedMarker = Symbol.for('xiuhua.injectedFault');

function isInjected(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[injectedMarker] === true;
}

function mark<E extends object>(error: E): E {
  Object.defineProperty(error, injectedMarker, { value: true });
  return error;
}

let requestCounter = 0;
function metadata(httpStatusCode: number): { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number } {
  requestCounter += 1;
  return { httpStatusCode, requestId: `INJECTED${String(requestCounter).padStart(12, '0')}`, attempts: 1, totalRetryDelay: 0 };
}

function dynamoError(kind: FaultKind): Error {
  switch (kind) {
    case 'ProvisionedThroughputExceededException':
      return mark(new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded (injected)', $metadata: metadata(400) }));
    case 'ThrottlingException':
      return mark(new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput (injected)', $metadata: metadata(400) }));
    case 'InternalServerError':
      return mark(new InternalServerError({ message: 'Internal server error (injected)', $metadata: metadata(500) }));
    default:
      return timeoutError();
  }
}

/** What the Node HTTP handler throws when a socket times out (the SDK classes it as transient). */
function timeoutError(): Error {
  const error = Object.assign(new Error('Connection timed out after 1000 ms (injected)'), { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: {} });
  return mark(error);
}

function s3Error(kind: FaultKind): Error {
  const slowDown = kind === 'S3 SlowDown';
  return mark(
    new S3ServiceException({
      name: slowDown ? 'SlowDown' : 'InternalError',
      $fault: slowDown ? 'client' : 'server',
      message: slowDown ? 'Please reduce your request rate. (injected)' : 'We encountered an internal error. Please try again. (injected)',
      $metadata: metadata(slowDown ? 503 : 500),
    }),
  );
}

function transactionConflict(request: SerializedRequest): Error {
  const body = JSON.parse(bodyText(request.body)) as { TransactItems?: unknown[] };
  const count = body.TransactItems?.length ?? 1;
  const culprit = Math.floor(draw(bodyText(request.body).slice(0, 200)) * count);
  return mark(
    new TransactionCanceledException({
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${Array.from({ length: count }, (_, i) => (i === culprit ? 'TransactionConflict' : 'None')).join(', ')}] (injected)`,
      $metadata: metadata(400),
      CancellationReasons: Array.from({ length: count }, (_, i) => (i === culprit ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' })),
    }),
  );
}


/**
 * Sends a batch with some of its keys (items) withheld and answers with them as unprocessed,
 * in the form the caller expects (plain values for a DocumentClient command, AttributeValues
 * for the raw client). Undefined when the batch has a single key (nothing to split).
 */
async function withheldBatch(
  operation: 'BatchGetItem' | 'BatchWriteItem',
  request: SerializedRequest,
  roll: (what: string) => number,
  context: SdkContext,
  next: unknown,
  args: unknown,
): Promise<{ output: unknown; response: unknown } | undefined> {
  const body = JSON.parse(bodyText(request.body)) as { RequestItems?: Record<string, { Keys?: unknown[] } | unknown[]> };
  const tables = Object.keys(body.RequestItems ?? {});
  const table = tables[0];
  if (table === undefined) return undefined;
  const entry = body.RequestItems![table]!;
  const list = operation === 'BatchGetItem' ? ((entry as { Keys?: unknown[] }).Keys ?? []) : (entry as unknown[]);
  if (list.length < 2) return undefined;
  // Keep at least one, withhold at least one.
  const keep = 1 + Math.floor(roll('keep') * (list.length - 1));
  const sent = list.slice(0, keep);
  const withheld = list.slice(keep);
  const newBody = { ...body, RequestItems: { ...body.RequestItems, [table]: operation === 'BatchGetItem' ? { ...(entry as object), Keys: sent } : sent } };
  const text = JSON.stringify(newBody);
  // In the form the SDK serialised it (a Uint8Array in current versions).
  request.body = request.body instanceof Uint8Array ? new TextEncoder().encode(text) : text;
  request.headers['content-length'] = String(Buffer.byteLength(text));
  const result = await (next as FinalizeNext)(args as FinalizeArgs);
  const documentForm = context.__aws_sdk_context?.features?.['DDB_MAPPER'] === 'd';
  const form = (value: unknown): unknown => (documentForm ? plainOf(value) : value);
  const output = result.output as { UnprocessedKeys?: Record<string, { Keys: unknown[] }>; UnprocessedItems?: Record<string, unknown[]> };
  if (operation === 'BatchGetItem') {
    const previous = output.UnprocessedKeys?.[table]?.Keys ?? [];
    const { Keys: _keys, ...rest } = entry as { Keys?: unknown[] };
    output.UnprocessedKeys = { ...output.UnprocessedKeys, [table]: { ...rest, Keys: [...previous, ...withheld.map(form)] } };
  } else {
    const previous = output.UnprocessedItems?.[table] ?? [];
    output.UnprocessedItems = { ...output.UnprocessedItems, [table]: [...previous, ...withheld.map(form)] };
  }
  return result;
}

/** AttributeValue JSON (as sent on the wire) → plain value, for keys and simple items. */
function plainOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const attribute = value as Record<string, unknown>;
  const [type] = Object.keys(attribute);
  if (Object.keys(attribute).length === 1 && type !== undefined && ['S', 'N', 'BOOL', 'NULL', 'M', 'L'].includes(type)) {
    const inner = attribute[type];
    if (type === 'S') return inner;
    if (type === 'N') return Number(inner);
    if (type === 'BOOL') return inner;
    if (type === 'NULL') return null;
    if (type === 'L') return (inner as unknown[]).map(plainOf);
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([name, nested]) => [name, plainOf(nested)]));
  }
  return Object.fromEntries(Object.entries(attribute).map(([name, nested]) => [name, plainOf(nested)]));
}

/**
 * Shortens the SDK's backoff delays by `factor` while keeping its standard retry strategy
 * (classification, max attempts, retry quota) untouched: thousands of injected faults at the
 * real delays (100 ms base, 500 ms for throttling, doubling per attempt) would take many
 * minutes. The strategy sleeps inside `refreshRetryTokenForRetry`, for the delay its backoff
 * strategy computes; that backoff strategy is wrapped.
 */
export async function quickenRetries(client: DynamoDBClient | S3Client, factor: number): Promise<void> {
  type Backoff = { setDelayBase(base: number): void; computeNextBackoffDelay(attempt: number): number };
  const config = client.config as unknown as { retryStrategy: () => Promise<{ retryBackoffStrategy?: Backoff }> };
  const strategy = await config.retryStrategy();
  const backoff = strategy.retryBackoffStrategy;
  if (backoff === undefined) throw new Error('the SDK retry strategy has no retryBackoffStrategy to quicken (SDK changed?)');
  strategy.retryBackoffStrategy = {
    setDelayBase: (base) => backoff.setDelayBase(base),
    computeNextBackoffDelay: (attempt) => Math.round(backoff.computeNextBackoffDelay(attempt) / factor),
  };
}
