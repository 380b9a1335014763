import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoOutcome } from '../../infra/local/demo';

/**
 * `npm run demo` (issue 7 "The demo", with issue 5's and 6's "Done means" inside it): the
 * demo's own main function, on the stack it starts for itself (in memory, free ports) — not
 * the run's shared stack, because the demo relies on s3rver's own ObjectCreated notifications
 * reaching proof ingest in this process, as they do under `npm start`.
 */

const statementsRoutes = join(import.meta.dirname, '../../functions/http/statements/routes.ts');

describe('npm run demo', () => {
  const exportsDir = mkdtempSync(join(tmpdir(), 'xiuhua-demo-'));
  const lines: string[] = [];
  let outcome: DemoOutcome;

  afterAll(() => rmSync(exportsDir, { recursive: true, force: true }));

  it('drives the month through the API and sees every answer the issues promise', { timeout: 120_000 }, async () => {
    outcome = await runDemo({ print: (line) => lines.push(line), exportsDir });

    // Proofs: accepted; refused for a reused photo naming the first proof; refused 300 m away.
    expect(outcome.proofs).toMatchObject({ accepted: 201, reused: 422, far: 422, reuseNamesFirst: true });
    expect(outcome.proofs.farDistanceM).toBeGreaterThanOrEqual(295);
    expect(outcome.proofs.farDistanceM).toBeLessThanOrEqual(305);
    expect(outcome.rejectedTaskStatus).toBe('rejected');
    // cleaning-standard: CL-PILE-M x1 = 8.00 points + ¥200; CL-BIN x2 = 2 x 1.00 points, no fine.
    expect(outcome.inspection).toEqual({ status: 201, pointsX100: 1_000, fineFen: 20_000, findings: 2 });
    expect(outcome.complaint.status).toBe(201);
    expect(outcome.complaint.orderContractorId).toMatch(/^ctr_/);
    expect(outcome.sweep).toEqual({ firstMarked: 1, secondMarked: 0, lateOnce: true });
    expect(outcome.workOrder).toEqual({ completed: 200, accepted: 200, acceptedQuantityMilli: 1_600 });
    expect(outcome.month).toMatch(/^\d{4}-\d{2}$/);
    expect(lines.join('\n')).toContain(`the statement of ${outcome.month} — the current month`);
  });

  it.runIf(existsSync(statementsRoutes))('closes the month: lines expand to their sources, the running month is not approved (nor by its reviewer), the XLSX is saved with zh-CN headers', async () => {
    const statement = outcome.statement;
    expect(statement).toBeDefined();
    expect(statement!.computed).toBeLessThan(300);
    expect(statement!.lines).toBeGreaterThan(0);
    expect(statement!.linesExpanded).toBe(statement!.lines);
    expect(statement!.reviewed).toBe(200);
    expect(statement!.reviewerApproval).toBe(409);
    expect(statement!.reviewerApprovalRules).toEqual(['reviewer-not-approver', 'approval-after-month-end']);
    expect(statement!.runningMonthApproval).toBe(409);
    expect(statement!.runningMonthApprovalRules).toEqual(['approval-after-month-end']);
    expect(lines.join('\n')).toContain('尚未结束');
    expect(statement!.exportPath).toBeDefined();
    // An XLSX is a zip: it starts with PK\x03\x04.
    expect(readFileSync(statement!.exportPath!).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(statement!.exportPath!);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细', '来源']);
    expect(workbook.getWorksheet('明细')!.getRow(2).values).toContain('金额(元)');
  });
});
