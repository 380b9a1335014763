import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEndedMonthContract } from '../../infra/local/seed-ended-month';
import { demoTenant } from '../../infra/local/seed';
import { apiGet, desktopContext, devTokenOf, expectAccessible, launchBrowser, screenshotDir, shot, signInToConsole, startApp, watch, type RunningApp } from './harness';

/**
 * Issue 15's finance office at 1366×768: demo-finance reviews the demo cleaning contract's
 * statement and is refused its approval in Chinese (four eyes); demo-finance-2, in a second
 * browser, approves a statement of a month that has ended; the 结算单 prints to ONE A4 page in
 * Chromium (rendered with pdftoppm into test-results/e2e/); the XLSX downloads.
 *
 * The demo's cleaning and municipal contracts start on the 1st of the running month, and a
 * statement is approved only once its month has ended (domain/payments/use-cases.ts,
 * approvalRefusals); the demo seed holds a month that has ended (infra/local/seed-ended-month.ts:
 * a unit-rate municipal contract from last month's 1st, its last month computed and reviewed by
 * demo-finance), which demo-finance-2 approves here. The demo's cleaning statement shows both
 * refusals.
 */

const zone = 'Asia/Shanghai';
const thisMonth = DateTime.now().setZone(zone).toFormat('yyyy-MM');
const lastMonth = DateTime.now().setZone(zone).minus({ months: 1 }).toFormat('yyyy-MM');

interface Contract {
  contractId: string;
  serviceType: string;
  contractorId: string;
  title: string;
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(bytes: Buffer): number {
  return bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

async function printToPdf(page: Page, name: string): Promise<{ pages: number; pdfinfo: string }> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const path = join(screenshotDir, `${name}.pdf`);
  writeFileSync(path, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', path, join(screenshotDir, name)]);
  const pdfinfo = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return { pages: pdfPages(pdf), pdfinfo };
}

describe('the console: finance closes a month', () => {
  let app: RunningApp;
  let browser: Browser;
  let first: BrowserContext;
  let second: BrowserContext;
  let page: Page;
  let page2: Page;
  let cleaning: Contract;
  let ended: Contract;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const procurement = await devTokenOf(app.origin, 'demo-procurement');
    const { items } = await apiGet<{ items: Contract[] }>(app.origin, procurement, '/v1/contracts?status=active&limit=200');
    cleaning = await apiGet<Contract>(app.origin, procurement, `/v1/contracts/${items.find((contract) => contract.serviceType === 'cleaning')!.contractId}`);
    ended = items.find((contract) => contract.title === demoEndedMonthContract.title)!;
    first = await desktopContext(browser);
    second = await desktopContext(browser);
    page = await first.newPage();
    page2 = await second.newPage();
    watch(page);
    watch(page2);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('demo-finance computes and reviews the demo cleaning statement, and may not approve it', async () => {
    await signInToConsole(page, app.origin, 'demo-finance');
    await page.goto(`${app.origin}/console.html#/finance/month?month=${thisMonth}`);
    const row = page.locator(`tr[data-contract="${cleaning.contractId}"]`);
    await row.waitFor();
    if ((await row.getByTestId('status').textContent())?.includes('未计算')) {
      await row.getByRole('button', { name: '计算' }).click();
      await expect.poll(() => row.getByTestId('status').textContent(), { timeout: 20_000 }).toContain('草稿');
    }
    await shot(page, '40-finance-month');
    await expectAccessible(page, 'finance month');

    await row.getByRole('link').first().click();
    await page.getByTestId('statement-lines').waitFor();
    // A line's sources, down to the missed tasks behind the deduction.
    const details = page.locator('[data-testid=line-details][data-line=fines_missed_tasks]');
    await details.locator('summary').click();
    await details.getByTestId('line-sources').locator('tbody tr').first().waitFor();
    await shot(page, '41-finance-statement-sources');
    await expectAccessible(page, 'statement with an expanded line');

    await page.getByTestId('lifecycle').getByRole('button', { name: '复核' }).click();
    await expect.poll(() => page.getByTestId('statement-status').textContent(), { timeout: 20_000 }).toBe('已复核');
    await page.getByTestId('lifecycle').getByRole('button', { name: '审批' }).click();
    const refusal = page.getByTestId('lifecycle').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('复核人不能审批');
    await shot(page, '42-finance-same-user-refused');
  });

  it('demo-finance-2, in a second browser, is refused the running month and approves an ended one', async () => {
    await signInToConsole(page2, app.origin, 'demo-finance-2');
    await page2.goto(`${app.origin}/console.html#/finance/statements/${cleaning.contractId}/${thisMonth}`);
    await page2.getByTestId('lifecycle').getByRole('button', { name: '审批' }).click();
    const refusal = page2.getByTestId('lifecycle').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('尚未结束');

    // Last month's statement, as the demo seed leaves it: reviewed by demo-finance; demo-finance-2 approves it.
    await page.goto(`${app.origin}/console.html#/finance/month?month=${lastMonth}`);
    const row = page.locator(`tr[data-contract="${ended.contractId}"]`);
    await expect.poll(() => row.getByTestId('status').textContent(), { timeout: 20_000 }).toBe('已复核');

    await page2.goto(`${app.origin}/console.html#/finance/statements/${ended.contractId}/${lastMonth}`);
    await page2.getByTestId('lifecycle').getByRole('button', { name: '审批' }).click();
    await expect.poll(() => page2.getByTestId('statement-status').textContent(), { timeout: 20_000 }).toBe('已审批');
    expect(await page2.getByTestId('statement-facts').textContent()).toContain('demo-finance-2');
    await shot(page2, '43-finance-approved-by-second-user');
  });

  it('prints the 结算单 on one A4 page', async () => {
    for (const [contract, month, name] of [
      [cleaning, thisMonth, '44-jiesuandan-demo-cleaning'],
      [ended, lastMonth, '45-jiesuandan-approved'],
    ] as const) {
      await page.goto(`${app.origin}/console.html#/finance/statements/${contract.contractId}/${month}/print`);
      await page.getByTestId('print-sheet').filter({ hasText: contract.contractId }).waitFor();
      expect(await page.getByTestId('print-sheet').textContent()).toContain(contract.title);
      await shot(page, `${name}-screen`);
      await expectAccessible(page, `print view ${name}`);
      const { pages, pdfinfo } = await printToPdf(page, name);
      expect(pdfinfo).toMatch(/Pages:\s+1\b/);
      expect(pdfinfo).toMatch(/Page size:.*\(A4\)/);
      expect(pages).toBe(1);
    }
    expect(await page.getByTestId('print-unit').textContent()).toBe(`单位：${demoTenant.name}（盖章）`);
    const approved = await page.getByTestId('print-sheet').textContent();
    expect(approved).toContain('系统记录：demo-finance-2');
    expect(approved).toContain('人民币');
  });

  it('shows the difference between computations, and downloads the XLSX', async () => {
    await page.goto(`${app.origin}/console.html#/finance/statements/${cleaning.contractId}/${thisMonth}/diff?from=1&to=1`);
    await page.getByTestId('diff').waitFor();
    await shot(page, '46-finance-diff');
    await expectAccessible(page, 'diff view');

    await page.goto(`${app.origin}/console.html#/finance/statements/${cleaning.contractId}/${thisMonth}`);
    await page.getByTestId('statement-lines').waitFor();
    const downloaded = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('export-xlsx').getByRole('button').click();
    const download = await downloaded;
    const path = join(screenshotDir, 'finance-statement.xlsx');
    await download.saveAs(path);
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
