/**
 * A stand-in scheduled handler for the local timers' tests: answers like the missed-task
 * sweep, with a backlog on the first call and none after.
 */
let calls = 0;

export async function handler(event: unknown): Promise<unknown> {
  calls += 1;
  const first = calls === 1;
  return { event, recorded: first ? 3 : 0, tenants: [{ tenantId: 't1', recorded: first ? 3 : 0, caughtUp: !first }], failed: [] };
}
