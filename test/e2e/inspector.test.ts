import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../helpers/photos';
import { apiGet, devTokenOf, expectAccessible, firstPosition, expectTouchTargets, launchBrowser, phoneContext, shot, startApp, watch, type RunningApp } from './harness';

/**
 * Issue 14's inspector on a phone: the segment under the GPS, the contract's rulebook as a
 * checklist, a finding counted, the score and money effect shown (priced by the API's preview)
 * before saving, and the rectification order the saved inspection raised. Then the flagged-proof
 * queue, the complaints to verify and the month's spot checks, each checked by axe.
 */

interface Checklist {
  contract: { contractId: string; title: string };
  categories: { category: string; items: { code: string; descriptionZh: string; mode: string; rectifyHours?: number }[] }[];
}

describe('the field app: an inspector on patrol', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let segment: { segmentId: string; name: string; at: [number, number] };
  let item: Checklist['categories'][number]['items'][number];

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const crew = await devTokenOf(app.origin, 'demo-contractor');
    const inspector = await devTokenOf(app.origin, 'demo-inspector');
    const [contract] = (await apiGet<{ items: { contractId: string; terms?: unknown }[] }>(app.origin, crew, '/v1/contracts?status=active')).items;
    const { items: tasks } = await apiGet<{ items: { segmentId: string; segmentName: string }[] }>(app.origin, crew, `/v1/contracts/${contract!.contractId}/tasks?limit=5`);
    const task = tasks[0]!;
    const detail = await apiGet<{ geometry: { coordinates: unknown } }>(app.origin, crew, `/v1/segments/${task.segmentId}`);
    segment = { segmentId: task.segmentId, name: task.segmentName, at: firstPosition(detail.geometry.coordinates) };
    const checklist = await apiGet<Checklist>(app.origin, inspector, `/v1/inspections/checklist?segmentId=${segment.segmentId}&serviceType=cleaning`);
    item = checklist.categories.flatMap((category) => category.items).find((candidate) => candidate.mode !== 'none' && candidate.rectifyHours !== undefined)!;
    expect(item, 'the demo rulebook has an item that raises an order').toBeDefined();
    context = await phoneContext(browser, { geolocation: { latitude: segment.at[1], longitude: segment.at[0], accuracy: 5 } });
    page = await context.newPage();
    watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('finds the segment under the GPS, prices a finding before saving, and shows the order raised', async () => {
    await page.goto(app.origin);
    await page.locator('button[data-sub="demo-inspector"]').click();
    await page.getByRole('heading', { name: '巡查记录' }).waitFor();
    await expect.poll(() => page.locator('select').first().inputValue(), { timeout: 20_000 }).toBe(segment.segmentId);
    await page.getByText('在履合同').waitFor();
    await shot(page, '10-patrol-checklist');
    await expectAccessible(page, 'patrol');
    await expectTouchTargets(page, 'patrol');
    await page.getByRole('button', { name: `增加 ${item.descriptionZh}` }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    expect(await preview.textContent()).toMatch(/扣 [\d.]+ 分，扣款 ¥[\d,]+\.\d\d/);
    expect(await preview.textContent()).toContain('将下发 1 份整改通知');
    // A photo of the finding, uploaded when the inspection is saved.
    const capturedAt = DateTime.now().setZone('Asia/Shanghai').minus({ minutes: 1 }).startOf('second').toISO({ suppressMilliseconds: true })!;
    await page.locator('li.counted [data-testid=photo-input]').setInputFiles([
      { name: 'finding.jpg', mimeType: 'image/jpeg', buffer: jpegWithExif({ capturedAt, lon: segment.at[0], lat: segment.at[1], padToBytes: 25_000 }) },
    ]);
    await page.locator('li.counted img').waitFor();
    await shot(page, '11-patrol-preview');
    await page.getByRole('button', { name: '保存巡查记录' }).click();
    const saved = page.getByTestId('inspection-saved');
    await saved.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('orders-raised').locator('li').count()).toBe(1);
    expect(await page.getByTestId('inspection-saved').textContent()).toContain('已附照片 1 张');
    expect(await page.getByTestId('orders-raised').textContent()).toMatch(/限期 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d \(\+08:00\)/);
    await shot(page, '12-patrol-saved');
    await expectAccessible(page, 'patrol saved');
  });

  it('opens the flagged proofs, the complaints and the spot checks', async () => {
    for (const [path, heading, name] of [
      ['/flagged', '存疑凭证（已通过但有标记）', '13-flagged'],
      ['/complaints', '待核实投诉', '14-complaints'],
      ['/spot-checks', '月度抽查', '15-spot-checks'],
    ] as const) {
      await page.goto(`${app.origin}/#${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, name);
      await expectAccessible(page, path);
      await expectTouchTargets(page, path);
    }
  });
});
