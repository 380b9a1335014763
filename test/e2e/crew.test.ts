import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../helpers/photos';
import { apiGet, devTokenOf, expectAccessible, firstPosition, expectTouchTargets, launchBrowser, phoneContext, shot, startApp, watch, type RunningApp } from './harness';

/**
 * Issue 14 "Done means", as a crew does it on a phone: sign in as the demo crew, prove a task
 * with two photos (first from the wrong place: the refusal in Chinese with its numbers; then
 * on the road: accepted), and prove another with the network off: it waits in the outbox,
 * survives a reload, and is sent exactly once when the phone is back online.
 *
 * Time: the handlers run on the real clock, and a capture time may be in the past, not the
 * future. The phone's clock is set to 14:00 YESTERDAY (Asia/Shanghai), inside the afternoon
 * sweep window (13:30–16:00 / 13:00–16:00), and the crew proves yesterday's tasks, which take
 * late proofs until the end of today — whatever the hour the suite runs.
 */

interface Task {
  taskId: string;
  segmentId: string;
  activity: string;
  windowStart: string;
  windowEnd: string;
  status: string;
}
interface Segment {
  segmentId: string;
  geometry: { type: string; coordinates: unknown };
}
interface Proof {
  proofId: string;
  subject: { kind: string; id: string };
  status: string;
}

const zone = 'Asia/Shanghai';

const yesterday = DateTime.now().setZone(zone).minus({ days: 1 }).toISODate()!;
const phoneTime = DateTime.fromISO(`${yesterday}T14:00:00`, { zone });

describe('the field app: a crew proves its tasks', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let contractId: string;
  let first: { task: Task; at: [number, number] };
  let second: { task: Task; at: [number, number] };
  let console_: { log: string[] };
  let photoMinute = 0;

  function photos(at: [number, number]): { name: string; mimeType: string; buffer: Buffer }[] {
    return [0, 1].map(() => {
      photoMinute += 1;
      const capturedAt = phoneTime.minus({ minutes: 10 - (photoMinute % 9) }).toISO({ suppressMilliseconds: true })!;
      return { name: `site-${photoMinute}.jpg`, mimeType: 'image/jpeg', buffer: jpegWithExif({ capturedAt, lon: at[0], lat: at[1], padToBytes: 30_000 + photoMinute }) };
    });
  }

  async function openTask(task: Task): Promise<void> {
    await page.goto(`${app.origin}/#/yesterday`);
    await page.locator(`a[href="#/tasks/${task.taskId}"]`).click();
    await page.getByText('位置：').waitFor();
  }

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    token = await devTokenOf(app.origin, 'demo-contractor');
    const contracts = await apiGet<{ items: { contractId: string }[] }>(app.origin, token, '/v1/contracts?status=active');
    contractId = contracts.items[0]!.contractId;
    const { items } = await apiGet<{ items: Task[] }>(app.origin, token, `/v1/contracts/${contractId}/tasks?date=${yesterday}&activity=sweep&limit=200`);
    const afternoon = items.filter((task) => task.windowStart.includes('T13:'));
    const chosen: { task: Task; at: [number, number] }[] = [];
    for (const task of afternoon) {
      if (chosen.some((c) => c.task.segmentId === task.segmentId)) continue;
      const segment = await apiGet<Segment>(app.origin, token, `/v1/segments/${task.segmentId}`);
      chosen.push({ task, at: firstPosition(segment.geometry.coordinates) });
      if (chosen.length === 2) break;
    }
    expect(chosen).toHaveLength(2);
    [first, second] = chosen as [typeof first, typeof second];
    // The phone stands 2 km north of the first road until the crew walks there.
    context = await phoneContext(browser, { geolocation: { latitude: first.at[1] + 0.018, longitude: first.at[0] } });
    page = await context.newPage();
    console_ = watch(page);
    // The service worker registers and takes the page first: Playwright's fake clock, once
    // installed, keeps a page's worker from registering.
    await page.goto(app.origin);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await context.clock.install({ time: phoneTime.toJSDate() });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('signs in as the demo crew and lists the day by road', async () => {
    await page.goto(app.origin);
    await page.getByRole('heading', { name: '选择演示账号登录' }).waitFor();
    await shot(page, '01-sign-in');
    await expectAccessible(page, 'sign-in');
    await expectTouchTargets(page, 'sign-in');
    await page.locator('button[data-sub="demo-contractor"]').click();
    await page.locator('.road').first().waitFor();
    await expect.poll(() => page.locator('.road').count()).toBeGreaterThan(10);
    await shot(page, '02-today');
    await expectAccessible(page, 'today');
    await expectTouchTargets(page, 'today');
    // The day's segments on the map (no tile source configured: a plain background).
    await page.getByRole('button', { name: '查看地图' }).click();
    await expect.poll(() => page.locator('.leaflet-container path').count(), { timeout: 20_000 }).toBeGreaterThan(10);
    await page.getByText('未配置底图').waitFor();
    await shot(page, '02b-map');
    await expectAccessible(page, 'today map');
    await page.goto(`${app.origin}/#/yesterday`);
    await page.locator(`a[href="#/tasks/${first.task.taskId}"]`).waitFor();
    await shot(page, '03-yesterday');
    await page.goto(`${app.origin}/#/orders`);
    await page.getByRole('heading', { name: '整改通知书' }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, '03b-orders');
    await expectAccessible(page, 'orders');
    await expectTouchTargets(page, 'orders');
  });

  it('refuses a proof taken 2 km from the road, in Chinese with the numbers', async () => {
    await openTask(first.task);
    await page.getByTestId('photo-input').setInputFiles(photos(first.at));
    await page.getByRole('button', { name: '提交作业凭证' }).click();
    const refusal = page.getByTestId('job-refused');
    await refusal.waitFor({ timeout: 30_000 });
    await expect.poll(() => refusal.textContent()).toMatch(/凭证未通过/);
    expect(await refusal.textContent()).toMatch(/距路段 [\d,]+ 米，限 \d+ 米/);
    await shot(page, '04-refused');
    await expectAccessible(page, 'task refused');
    await expectTouchTargets(page, 'task refused');
  });

  it('accepts the proof taken on the road', async () => {
    await context.setGeolocation({ latitude: first.at[1], longitude: first.at[0], accuracy: 6 });
    await openTask(first.task);
    await page.getByTestId('photo-input').setInputFiles(photos(first.at));
    await shot(page, '05-two-photos');
    await page.getByRole('button', { name: '提交作业凭证' }).click();
    await page.getByTestId('job-accepted').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('job-accepted').textContent()).toContain('凭证已通过');
    await shot(page, '06-accepted');
    await expectAccessible(page, 'task accepted');
  });

  it('queues a proof taken offline, keeps it over a reload, and sends it once when back online', async () => {
    await context.setGeolocation({ latitude: second.at[1], longitude: second.at[0], accuracy: 6 });
    await openTask(second.task);
    await context.setOffline(true);
    await page.getByTestId('photo-input').setInputFiles(photos(second.at));
    await page.getByRole('button', { name: '提交作业凭证' }).click();
    await page.getByTestId('job-pending').waitFor();
    expect(await page.getByTestId('job-pending').textContent()).toContain('待联网后自动发送');
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线 · 待发送 1');
    await shot(page, '07-offline-queued');
    // A reload without signal: the service worker serves the shell, IndexedDB keeps the job.
    await page.reload();
    await page.goto(`${app.origin}/#/queue`);
    await page.getByTestId('queue-item').first().waitFor();
    const states = (): Promise<string> => page.locator('[data-testid=queue-item]').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-state')}: ${item.textContent}`).join('\n'));
    await expect.poll(states).toMatch(/^queued: .*待联网后自动发送/m);
    expect(await page.getByTestId('network').textContent()).toContain('离线');
    await shot(page, '08-outbox-offline');
    await expectAccessible(page, 'outbox');
    await expectTouchTargets(page, 'outbox');
    await context.setOffline(false);
    await page.locator('[data-testid=queue-item][data-state=done]').first().waitFor({ timeout: 30_000 });
    await expect.poll(states, { timeout: 30_000 }).not.toMatch(/^(queued|sending):/m);
    await shot(page, '09-outbox-sent');
    expect(await page.locator('[data-testid=queue-item][data-state=done]').count()).toBe(2);
    const { items } = await apiGet<{ items: Proof[] }>(app.origin, token, `/v1/contracts/${contractId}/proofs?date=${yesterday}&limit=200`);
    const ofSecond = items.filter((proof) => proof.subject.id === second.task.taskId);
    expect(ofSecond.map((proof) => proof.status), JSON.stringify({ second: second.task.taskId, listed: items.map((p) => [p.subject.id, p.status]) })).toEqual(['accepted']);
    const ofFirst = items.filter((proof) => proof.subject.id === first.task.taskId).map((proof) => proof.status).sort();
    expect(ofFirst).toEqual(['accepted', 'refused']);
  });
});
