import { beforeAll, describe, expect, it } from 'vitest';
import type { PerformanceFailuresDocument } from '../../domain/payments/export-ocds';
import type { Standings } from '../../domain/payments/standings';
import { quarterOf } from '../../domain/assessment/months';
import { api, tokenFor } from '../helpers/api';
import { closedMonth, closeHandler, paymentsDistrict, type PaymentsDistrict } from './payments-fixture';

/**
 * Rankings, notices and the OCDS performance failures on the local stack (issue 7 "Rankings
 * and credit", "Exports"), over a month closed by the close handler: two cleaning contracts
 * without any fact both score 100.00, so the tie rule (late orders, then contract id) decides
 * and both are on the red list (cleaning rulebook: ≥ 95.00).
 */

describe('rankings on the local stack', () => {
  let d: PaymentsDistrict;
  let procurement: string;
  let finance: string;

  beforeAll(async () => {
    d = await paymentsDistrict('rankings');
    procurement = await tokenFor('procurement', { tenantId: d.tenantId });
    finance = await tokenFor('finance', { tenantId: d.tenantId });
    await closeHandler()({ month: closedMonth, tenants: [d.tenantId] });
  });

  it('ranks the month per service type with the tie rule, and lists both on the red list', async () => {
    // Act
    const month = await api.request<Standings>('GET', `/v1/rankings?month=${closedMonth}&serviceType=cleaning`, { token: procurement });

    // Assess
    expect(month.status, month.text).toBe(200);
    const ids = d.contracts.map((c) => c.contractId).sort();
    expect(month.json.rankings).toHaveLength(1);
    expect(month.json.rankings[0]!.rows.map((row) => [row.rank, row.contractId, row.scoreX100])).toEqual([
      [1, ids[0], 10_000],
      [2, ids[1], 10_000],
    ]);
    expect(month.json.rankings[0]!.rows[1]!.tieBreak).toContain('contract id order');
    expect(month.json.lists.map((entry) => entry.list)).toEqual(['red', 'red']);
  });

  it('ranks a quarter by the mean of its months', async () => {
    // Act
    const quarter = await api.request<Standings>('GET', `/v1/rankings?quarter=${quarterOf(closedMonth)}`, { token: finance });

    // Assess
    expect(quarter.status, quarter.text).toBe(200);
    expect(quarter.json.period).toBe(quarterOf(closedMonth));
    expect(quarter.json.rankings[0]!.rows.map((row) => [row.scoreX100, row.months])).toEqual([
      [10_000, 1],
      [10_000, 1],
    ]);
  });

  it('refuses a contractor, and a query with both or neither period', async () => {
    const contractor = await api.request('GET', `/v1/rankings?month=${closedMonth}`, { token: await tokenFor('contractor', { tenantId: d.tenantId, contractorId: d.contractorIds[0]! }) });
    const both = await api.request('GET', `/v1/rankings?month=${closedMonth}&quarter=2026-Q1`, { token: procurement });
    const neither = await api.request('GET', '/v1/rankings', { token: procurement });

    expect([contractor.status, both.status, neither.status]).toEqual([403, 400, 400]);
  });

  it('lists notices to procurement only (none here: nobody is below the line)', async () => {
    const notices = await api.request<{ items: unknown[] }>('GET', '/v1/notices', { token: procurement });
    const byFinance = await api.request('GET', '/v1/notices', { token: finance });

    expect(notices.status, notices.text).toBe(200);
    expect(notices.json.items).toEqual([]);
    expect(byFinance.status).toBe(403);
  });

  it('publishes OCDS performance failures of approved statements only', async () => {
    // Prepare: review and approve the first contract's statement; the second stays a draft.
    const [approved, draft] = d.contracts as [(typeof d.contracts)[number], (typeof d.contracts)[number]];
    const base = `/v1/contracts/${approved.contractId}/statements/${closedMonth}`;
    const review = await api.request('POST', `${base}/review`, { token: finance, body: {}, headers: { 'if-match': '"1"', 'idempotency-key': `r-${d.tenantId}` } });
    expect(review.status, review.text).toBe(200);
    // Another finance user than the reviewer (four eyes, issue 13).
    const approval = await api.request('POST', `${base}/approval`, { token: await tokenFor('finance', { tenantId: d.tenantId, sub: 'dev-finance-approver' }), body: {}, headers: { 'if-match': '"2"', 'idempotency-key': `a-${d.tenantId}` } });
    expect(approval.status, approval.text).toBe(200);

    // Act
    const document = await api.request<PerformanceFailuresDocument>('GET', `/v1/performance-failures?month=${closedMonth}`, { token: finance });
    const byInspector = await api.request('GET', `/v1/performance-failures?month=${closedMonth}`, { token: await tokenFor('inspector', { tenantId: d.tenantId }) });

    // Assess: no facts, so no failure entries; the draft is left out.
    expect(document.status, document.text).toBe(200);
    expect(document.json).toEqual({ month: closedMonth, contracts: [{ id: approved.contractId, implementation: { performanceFailures: [] } }] });
    expect(document.json.contracts.map((c) => c.id)).not.toContain(draft.contractId);
    expect(byInspector.status).toBe(403);
  });
});
