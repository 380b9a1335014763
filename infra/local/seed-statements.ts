import type { AdapterRequest, AdapterResponse } from './http-adapter';
import { SeedError } from './seed-procurement';

/**
 * The demo's statements (issue 15): the running month of each seeded contract computed once
 * through the API as the demo finance user, so the office console's supervision screens (score,
 * deductions, KPIs against the rulebook's targets, the month's map) read stored assessments
 * from the first start. Run after the missed-task sweep's first catch-up (seed.ts
 * `seedDemoMonths`), so the cleaning contract's statement counts the tasks missed since the
 * 1st; the close computes each later month on its 1st, as in AWS. The month that has ended is
 * seed-ended-month.ts's.
 *
 * A month that already has a statement is left as it is (a persisted folder keeps what the
 * developer did with it; `npm run demo` recomputes after its own facts).
 */

export interface StatementSeedOptions {
  readonly dispatch: (request: AdapterRequest) => Promise<AdapterResponse>;
  /** A finance user's bearer token of the tenant. */
  readonly token: string;
  readonly contractIds: readonly string[];
  /** `YYYY-MM`, the running month in the tenant's zone. */
  readonly month: string;
}

export interface SeededStatement {
  readonly contractId: string;
  readonly month: string;
  readonly outcome: 'computed' | 'existed';
}

/** Computes each contract's statement of `month` unless it exists; throws SeedError when the API refuses. */
export async function seedDemoStatements(options: StatementSeedOptions): Promise<readonly SeededStatement[]> {
  // One list of the month (a 404 per missing statement would be logged as a refusal at every start).
  const listed = await call(options, 'GET', `/v1/statements?month=${options.month}&limit=200`);
  if (listed.statusCode !== 200) throw refused(`listing the statements of ${options.month}`, listed);
  const existing = new Set((JSON.parse(listed.body.toString('utf8')) as { items: { contractId: string }[] }).items.map((item) => item.contractId));
  // The contracts' computations are independent: side by side, so the start waits for the longest only.
  const seeded = await Promise.all(
    options.contractIds.map(async (contractId): Promise<SeededStatement> => {
      if (existing.has(contractId)) return { contractId, month: options.month, outcome: 'existed' };
      const path = `/v1/contracts/${contractId}/statements/${options.month}/computations`;
      const computed = await call(options, 'POST', path, '{}');
      if (computed.statusCode !== 201 && computed.statusCode !== 200) throw refused(`computing ${path}`, computed);
      return { contractId, month: options.month, outcome: 'computed' };
    }),
  );
  return seeded;
}

function call(options: StatementSeedOptions, method: string, url: string, body?: string): Promise<AdapterResponse> {
  return options.dispatch({
    method,
    url,
    headers: {
      authorization: `Bearer ${options.token}`,
      'user-agent': 'xiuhua-local-seed',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });
}

function refused(what: string, response: AdapterResponse): SeedError {
  return new SeedError(`the demo statement seed failed ${what}: ${response.statusCode} ${response.body.toString('utf8')}`);
}
