import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is changing state, and why (issue 8, "Audit log"). Every write of the stores appends an
 * audit entry in its own transaction (functions/adapters/dynamodb/audit-log.ts); the entry's
 * actor, action, request id and reason come from here, not from the stores' callers, so no use
 * case has to pass them down.
 *
 * Set for the whole of one unit of work with `runWithAuditContext`:
 * - every HTTP request, by the shared middy stack (functions/shared/http.ts): the caller from
 *   the verified token, the route's operationId, API Gateway's request id, and `reason` when
 *   the validated body has one;
 * - every event handler invocation (functions/events/*): a system actor named after the
 *   function, Lambda's request id, and the handler's action.
 *
 * A write outside any context (seeds, fixtures of tests) is recorded as `unattributed`, never
 * dropped; a test proves the HTTP and event paths never produce it.
 */

export type AuditActor =
  | { readonly sub: string; readonly roles: readonly string[]; readonly contractorId?: string }
  | { readonly system: string };

export interface AuditContext {
  /** The caller's tenant (HTTP); entries take their tenant from the record written. */
  readonly tenantId?: string;
  readonly actor: AuditActor;
  readonly requestId: string;
  /** The route's operationId, or the event handler's action (e.g. `missedTaskSweep`). */
  readonly action: string;
  /** The reason the caller gave (`body.reason`), when there is one. */
  readonly reason?: string;
}

/** The actor of a write made outside any HTTP request or event handler. */
export const unattributedActor: AuditActor = { system: 'unattributed' };

const storage = new AsyncLocalStorage<AuditContext>();

/** Runs `work` (and everything it awaits or starts) under `context`. */
export function runWithAuditContext<T>(context: AuditContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the running unit of work; undefined outside any. */
export function currentAuditContext(): AuditContext | undefined {
  return storage.getStore();
}

/** The `reason` of a validated body, when it is a non-empty string. */
export function reasonOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const reason = (body as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason.length > 0 ? reason : undefined;
}

/** Lambda's context as far as the event handlers need it (tests call handlers without one). */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

/**
 * An event handler run under a system actor: `name` is the function's (the manifest name),
 * `action` what it does. Without a Lambda context (a direct call) the request id is made up
 * from the time, so the entries of one run still share one.
 */
export function systemAuditContext(name: string, action: string, invocation: InvocationContext | undefined): AuditContext {
  const requestId = invocation?.awsRequestId ?? `local-${name}-${Date.now().toString(36)}`;
  return { actor: { system: name }, requestId, action };
}

/**
 * An event handler whose every invocation runs under its system audit context: `name` is the
 * function's (functions/events/manifest.ts), `action` what the run does. Lambda passes its
 * context second; tests call the handler with the event alone.
 */
export function withSystemAudit<E, R>(name: string, action: string, handler: (event: E) => Promise<R>): (event: E, invocation?: InvocationContext) => Promise<R> {
  return (event, invocation) => runWithAuditContext(systemAuditContext(name, action, invocation), () => handler(event));
}
