/**
 * The typed API client: openapi-fetch over the types generated from /v1/openapi.json
 * (schema.d.ts, `npm run gen:api`). Every request carries the session's bearer token and the
 * chosen language, so problem details come back in Chinese when the app is in Chinese.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { language } from '../i18n';
import { bearer, onUnauthorized } from '../auth/session';

export type Schemas = components['schemas'];

export const api = createClient<paths>({ baseUrl: location.origin });

/** What every API request carries: the bearer token (refreshed when due) and the language. */
export async function requestHeaders(): Promise<Record<string, string>> {
  const token = await bearer();
  return { 'accept-language': language() === 'zh' ? 'zh-CN' : 'en', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
}

api.use({
  async onRequest({ request }) {
    for (const [name, value] of Object.entries(await requestHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
});

/** RFC 9457 problem details as the API writes them (functions/shared/problem.ts). */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: readonly { readonly field: string | readonly (string | number)[]; readonly message: string }[];
  /** Proof refusals: one localized reason per failed check, with its numbers. */
  readonly reasons?: readonly string[];
  readonly failures?: readonly { readonly code: string; readonly message: string; readonly zh?: string }[];
  readonly requestId?: string;
}

/** An API answer that is not a success, thrown by `must`. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problemText(problem, status));
  }
}

/** One line a person can read: the detail, each field's message, each refusal reason. */
export function problemText(problem: Problem, status: number): string {
  const parts: string[] = [];
  if (problem.reasons !== undefined && problem.reasons.length > 0) parts.push(...problem.reasons);
  else {
    parts.push(problem.detail ?? problem.title ?? `HTTP ${status}`);
    for (const error of problem.errors ?? []) parts.push(`${Array.isArray(error.field) ? error.field.join('.') : String(error.field)}: ${error.message}`);
  }
  return parts.join('；');
}

/** The data of a successful openapi-fetch answer, or an ApiProblem. */
export function must<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  throw new ApiProblem(answer.response.status, (answer.error ?? {}) as Problem);
}

/** A new idempotency key: unique per intended action, kept with it until it is answered. */
export function newKey(): string {
  return crypto.randomUUID();
}
