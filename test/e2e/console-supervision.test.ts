import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, desktopContext, devTokenOf, expectAccessible, launchBrowser, shot, signInToConsole, startApp, watch, type RunningApp } from './harness';

/**
 * Issue 15's supervisor at 1366×768 (demo-admin, who reads rankings, notices, the supervision
 * series and the audit log): the running month's rankings of the demo contracts (the demo seed
 * computes their statements), the performance plots drawn as SVG with a mark per contract, the
 * month's findings map, and the audit trail of the cleaning contract reached from the record
 * finder. axe on each screen; screenshots test-results/e2e/console-supervision-*.png.
 */

const thisMonth = DateTime.now().setZone('Asia/Shanghai').toFormat('yyyy-MM');

interface Contract {
  contractId: string;
  serviceType: string;
  title: string;
  terms: { scope: string[] };
}

async function post(origin: string, token: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) });
  expect(response.ok, `POST ${path}: ${response.status} ${await response.clone().text()}`).toBe(true);
}

describe('the console: a supervisor reads rankings, plots, the map and an audit trail', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: { readonly log: string[] };
  let contracts: Contract[];

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const admin = await devTokenOf(app.origin, 'demo-admin');
    contracts = (await apiGet<{ items: Contract[] }>(app.origin, admin, '/v1/contracts?status=active')).items;
    expect(contracts.length, 'the demo has active contracts').toBeGreaterThanOrEqual(2);
    // A patrol finds litter on a segment of the cleaning contract, and finance recomputes the
    // month, so the map and the deductions have a finding to show beside the missed tasks.
    const cleaning = contracts.find((contract) => contract.serviceType === 'cleaning')!;
    const segmentId = (await apiGet<Contract>(app.origin, admin, `/v1/contracts/${cleaning.contractId}`)).terms.scope[0]!;
    await post(app.origin, await devTokenOf(app.origin, 'demo-inspector'), '/v1/inspections', { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 2 }] });
    await post(app.origin, await devTokenOf(app.origin, 'demo-finance'), `/v1/contracts/${cleaning.contractId}/statements/${thisMonth}/computations`, {});
    context = await desktopContext(browser);
    page = await context.newPage();
    seen = watch(page);
    await signInToConsole(page, app.origin, 'demo-admin');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('ranks the running month per service type, with the lists beside it', async () => {
    // From the area the admin lands in (procurement) to another, as a person clicks through.
    await page.goto(`${app.origin}/console.html#/supervision/rankings?month=${thisMonth}`);
    await page.getByRole('heading', { name: '考核排名', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /环卫保洁 · .* 排名/ }).waitFor({ timeout: 20_000 });
    for (const contract of contracts) await page.locator('section.ranking').getByText(contract.title).first().waitFor();
    await page.getByRole('heading', { name: '红黑榜与警示' }).waitFor();
    await shot(page, 'console-supervision-1-rankings');
    await expectAccessible(page, 'rankings');
    // The quarter, chosen as a person does.
    await page.getByLabel('周期').selectOption('quarter');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/quarter=\d{4}-Q[1-4]/);
    await page.getByRole('heading', { name: /季度 排名|暂无排名/ }).or(page.getByText(/暂无排名/)).first().waitFor({ timeout: 20_000 });
  }, 60_000);

  it('draws the score per contract, deductions by category and the KPIs against their targets as SVG', async () => {
    await page.goto(`${app.origin}/console.html#/supervision/performance?to=${thisMonth}&months=12`);
    const scorePlot = page.locator('figure.plot-figure').filter({ has: page.getByRole('heading', { name: /各合同月度考核得分/ }) });
    const chart = scorePlot.locator('svg[role="img"]');
    await chart.waitFor({ timeout: 20_000 });
    expect(await chart.getAttribute('aria-label')).toContain('得分（分）');
    // One dot per contract-month the API answered: at least one per demo contract.
    await expect.poll(() => chart.locator('circle').count()).toBeGreaterThanOrEqual(contracts.length);
    const axisText = await chart.textContent();
    expect(axisText).toContain('得分（分）');
    expect(axisText).toContain('月份');
    await expect.poll(() => scorePlot.locator('figcaption').textContent()).toContain('分');
    const kpi = page.locator('figure.plot-figure').filter({ has: page.getByRole('heading', { name: '限时整改率与考核目标' }) });
    await kpi.locator('svg[role="img"]').waitFor();
    // The rulebook's target is drawn dashed.
    expect(await kpi.locator('svg[role="img"] [stroke-dasharray]').count()).toBeGreaterThan(0);
    await expect.poll(() => kpi.locator('svg[role="img"]').textContent()).toContain('目标');
    await page.getByRole('heading', { name: '扣分扣款构成' }).waitFor();
    await page.locator('figure.plot-figure').filter({ has: page.getByRole('heading', { name: /各类扣分/ }) }).first().locator('svg[role="img"] rect').first().waitFor();
    // The numbers behind a plot, as the API gives them.
    await scorePlot.locator('details summary').click();
    await expect.poll(() => scorePlot.locator('details table').textContent()).toContain(contracts[0]!.title);
    await shot(page, 'console-supervision-2-performance');
    await expectAccessible(page, 'performance');
  }, 60_000);

  it('maps the month by segment', async () => {
    await page.goto(`${app.origin}/console.html#/supervision/map?month=${thisMonth}`);
    await page.getByRole('heading', { name: '问题地图', level: 1 }).waitFor();
    await page.locator('.leaflet-interactive').first().waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: /有问题的路段/ }).waitFor();
    const first = page.locator('table.data tbody tr').first().getByRole('button');
    const name = (await first.textContent())!;
    await first.click();
    await expect.poll(() => page.locator('aside.map-side h2').textContent()).toBe(name);
    await expect.poll(() => page.locator('table.data tbody').textContent()).toContain('2');
    // The full-page shot from the top: the header is sticky.
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'console-supervision-3-map');
    await expectAccessible(page, 'findings map');
  }, 60_000);

  it('finds a record and reads its audit trail: who, when, what changed', async () => {
    const cleaning = contracts.find((contract) => contract.serviceType === 'cleaning')!;
    await page.goto(`${app.origin}/console.html#/supervision/audit`);
    await page.getByRole('heading', { name: '审计记录', level: 1 }).waitFor();
    const finder = page.locator('section').filter({ has: page.getByRole('heading', { name: '查找一条记录' }) });
    await finder.getByLabel('记录类型').selectOption('Contract');
    await finder.getByLabel('记录编号').fill(cleaning.contractId);
    await page.getByRole('button', { name: '查看审计记录' }).click();
    await page.waitForURL(new RegExp(`#/supervision/audit/Contract/${cleaning.contractId}$`));
    const trail = page.locator('table.audit-trail');
    await trail.waitFor({ timeout: 20_000 });
    await expect.poll(() => trail.textContent()).toContain('demo-procurement');
    await expect.poll(() => trail.textContent()).toContain('合同生效');
    await expect.poll(() => trail.textContent()).toContain('草稿 → 生效');
    await page.getByRole('heading', { name: '合同条款版本' }).waitFor();
    await shot(page, 'console-supervision-4-audit');
    await expectAccessible(page, 'audit trail');
    expect(seen.log.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  }, 60_000);
});
