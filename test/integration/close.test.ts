import { describe, expect, it, beforeAll } from 'vitest';
import type { CloseReport } from '../../domain/payments/close';
import type { StatementRecord } from '../../domain/payments/records';
import { monthlyCloseDeps } from '../../functions/events/monthly-close-deps';
import type { MonthlyCloseSummary } from '../../functions/events/monthly-close';
import { api, tokenFor } from '../helpers/api';
import { closedMonth, closeHandler, paymentsDistrict, type PaymentsDistrict } from './payments-fixture';

/**
 * The monthly close on the local stack (issue 7): the handler's `close` step (what the local
 * timer and `npm run close` run) over a tenant of this file with two contracts, then the Step
 * Functions steps (`list`, `compute`, `report`) the AWS state machine calls.
 */

describe('monthly close on the local stack', () => {
  let d: PaymentsDistrict;
  let finance: string;

  beforeAll(async () => {
    d = await paymentsDistrict('close');
    finance = await tokenFor('finance', { tenantId: d.tenantId });
  });

  const statementOf = (contractId: string) => api.request<StatementRecord>('GET', `/v1/contracts/${contractId}/statements/${closedMonth}`, { token: finance });

  it('computes a draft for each contract in force, and a rerun writes no new version', async () => {
    // Act
    const first = (await closeHandler()({ month: closedMonth, tenants: [d.tenantId] })) as MonthlyCloseSummary;
    const second = (await closeHandler()({ month: closedMonth, tenants: [d.tenantId] })) as MonthlyCloseSummary;

    // Assess
    const [report] = first.reports as [CloseReport];
    expect(report).toMatchObject({ tenantId: d.tenantId, month: closedMonth, computed: 2, unchanged: 0, failed: 0 });
    expect(second.reports[0]).toMatchObject({ computed: 0, unchanged: 2, failed: 0 });
    for (const contract of d.contracts) {
      const stored = await statementOf(contract.contractId);
      expect(stored.status, stored.text).toBe(200);
      expect(stored.json).toMatchObject({ status: 'draft', version: 1, computeVersion: 1, computedBy: 'system', month: closedMonth });
    }
  });

  it('reports a contract whose facts cannot be read and still closes the others', async () => {
    // Prepare: a third contract whose facts read fails.
    const broken = await d.addContract();
    const deps = monthlyCloseDeps();
    const facts = {
      read: async (...args: Parameters<typeof deps.facts.read>) => {
        if (args[1].contractId === broken.contractId) throw new Error('facts unreadable');
        return deps.facts.read(...args);
      },
    };

    // Act
    const summary = (await closeHandler({ facts })({ month: closedMonth, tenants: [d.tenantId] })) as MonthlyCloseSummary;

    // Assess
    const [report] = summary.reports as [CloseReport];
    expect(report).toMatchObject({ computed: 0, unchanged: 2, failed: 1 });
    expect(report.contracts.find((c) => c.contractId === broken.contractId)).toEqual({ contractId: broken.contractId, outcome: 'failed', error: 'Error: facts unreadable' });
    expect((await statementOf(broken.contractId)).status).toBe(404);
  });

  it('runs as the state machine does: list → compute per item → report, which fails on a caught failure', async () => {
    // Act
    const listed = (await closeHandler()({ step: 'list', input: { month: closedMonth, tenants: [d.tenantId] } })) as { items: { tenantId: string; month: string; contractId: string }[] };
    const results = await Promise.all(listed.items.map((item) => closeHandler()({ step: 'compute', ...item })));
    const failedItem = { item: listed.items[0], error: { Error: 'Error', Cause: JSON.stringify({ errorMessage: 'timed out' }) } };

    // Assess: the third contract (added above) is now computed; the two others are unchanged.
    expect(listed.items).toHaveLength(3);
    expect(results.map((r) => (r as { outcome: string }).outcome).sort()).toEqual(['computed', 'unchanged', 'unchanged']);
    await expect(closeHandler()({ step: 'report', results })).resolves.toMatchObject({ failed: 0 });
    await expect(closeHandler()({ step: 'report', results: [...results.slice(1), failedItem] })).rejects.toThrow(`the monthly close failed for 1 contract(s): ${d.tenantId}/${listed.items[0]!.contractId}`);
  });
});
