/**
 * HTTP modules being written while issue 8's authorization data went in (issue 7: exports,
 * rankings, notices; statements already carries `authz` on every route, so it is not listed). Their routes may still lack `authz` in their route specs, and
 * the matrix skips a route without it. TEMPORARY: the lead fills their `authz` and empties this
 * list (the unit test test/unit/functions/http/route-authz.test.ts fails for a listed module
 * whose routes all carry `authz`, so the list cannot go stale).
 */
export const pendingAuthzModules: readonly string[] = [];
