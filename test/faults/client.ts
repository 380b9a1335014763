import type { AdapterRequest, AdapterResponse } from '../../infra/local/http-adapter';
import { scriptRequest } from '../../infra/local/demo';

/**
 * The scripted month's API client (test/faults): requests go through the local adapter's
 * in-process dispatch (the same handler modules Lambda runs). An answer that asks for a retry
 * — 503 or 429 with Retry-After, or the 409 of an Idempotency-Key still in progress (which
 * carries Retry-After) — is retried with the SAME request: same Idempotency-Key, same
 * If-Match, same body. Every such failure is recorded with its status and route and whether a
 * retry then succeeded. Any 5xx other than 503 is recorded as a failure that may not be retried:
 * the suite fails on it.
 */

export interface Answer<T = Json> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: T;
}

export type Json = Record<string, unknown>;

export interface CallOptions {
  readonly token: string;
  readonly body?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  readonly ifMatch?: number;
  /** Sent as Idempotency-Key; stable per script step, so a rerun of the script sends the same. */
  readonly key?: string;
}

export interface SeenFailure {
  readonly route: string;
  readonly status: number;
  readonly type: string | undefined;
  readonly retryable: boolean;
  /** Whether a later attempt of the same request got a non-retryable answer (the outcome). */
  retriedOk: boolean;
  readonly attempt: number;
}

const maxAttempts = 12;

/** `/v1/tasks/tsk_abc/proofs` → `/v1/tasks/{id}/proofs`: ids folded so figures group by route. */
export function routeOf(method: string, url: string): string {
  const path = url.split('?')[0]!;
  return `${method} ${path.replace(/\/(?:[a-z]{2,4}_[0-9a-z]{10,}|demo-[a-z-]+|\d{4}-\d{2}(?:-\d{2})?)(?=\/|$)/g, '/{id}')}`;
}

function retryableAnswer(status: number, headers: Readonly<Record<string, string>>, type: string | undefined): boolean {
  if (status === 503 || status === 429) return headers['retry-after'] !== undefined;
  return status === 409 && type?.endsWith('/idempotency-in-progress') === true && headers['retry-after'] !== undefined;
}

export class FaultClient {
  readonly failures: SeenFailure[] = [];
  requests = 0;

  constructor(private readonly dispatch: (request: AdapterRequest) => Promise<AdapterResponse>) {}

  /** A request, retried while the answer asks for it. */
  async call<T = Json>(method: string, url: string, options: CallOptions): Promise<Answer<T>> {
    const { headers, body } = scriptRequest('xiuhua-faults', options);
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    return this.send<T>({ method, url, headers, ...(body === undefined ? {} : { body }) });
  }

  /** The adapter's dispatch with this client's retries (the seed's district import uses it). */
  readonly dispatchWithRetries = async (request: AdapterRequest): Promise<AdapterResponse> => {
    const answer = await this.send({ ...request, method: request.method });
    return { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.text, 'utf8') } as unknown as AdapterResponse;
  };

  private async send<T>(request: AdapterRequest): Promise<Answer<T>> {
    const route = routeOf(request.method, request.url);
    const seen: SeenFailure[] = [];
    for (let attempt = 1; ; attempt += 1) {
      this.requests += 1;
      const response = await this.dispatch(request);
      const text = response.body.toString('utf8');
      const headers = response.headers as Readonly<Record<string, string>>;
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const type = typeof (json as { type?: unknown } | undefined)?.type === 'string' ? String((json as { type: string }).type) : undefined;
      const retryable = retryableAnswer(response.statusCode, headers, type);
      if (retryable || response.statusCode >= 500) {
        const failure: SeenFailure = { route, status: response.statusCode, type, retryable, retriedOk: false, attempt };
        this.failures.push(failure);
        seen.push(failure);
      }
      if (retryable && attempt < maxAttempts) {
        // Retry-After says 1 s; the virtual month does not need the wall clock to pass, so
        // the client waits a short real moment (the in-progress expiry is real time, though).
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 15 * 2 ** attempt)));
        continue;
      }
      const settled = !retryable && response.statusCode < 500;
      for (const failure of seen) failure.retriedOk = settled;
      return { status: response.statusCode, headers, text, json: json as T };
    }
  }
}
