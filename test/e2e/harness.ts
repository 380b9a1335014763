/**
 * The e2e suite's world: `npm start`'s own entry (infra/local/start.ts) on a free port — the
 * embedded DynamoDB Local, s3rver, the demo district and the built field app — and Debian's
 * Chromium driven by playwright-core at a 360×740 phone viewport. No browser is downloaded.
 * Screenshots go to test-results/e2e/ (README "Field app").
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const chromiumPath = process.env['XIUHUA_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
export const screenshotDir = join(process.cwd(), 'test-results', 'e2e');
export const phone = { width: 360, height: 740 } as const;
/** The office console's bar (issue 15): a 1366×768 desktop. */
export const desktop = { width: 1366, height: 768 } as const;

/**
 * Builds the field app as `npm start` does. NODE_ENV is `test` under vitest, which would make
 * Vite build development JSX with import.meta.env.PROD false (no service worker).
 */
export function buildWeb(): string {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  return join(process.cwd(), 'web', 'dist');
}

/** The first [lon, lat] of any GeoJSON geometry's coordinates. */
export function firstPosition(coordinates: unknown): [number, number] {
  let at = coordinates;
  while (Array.isArray(at) && Array.isArray(at[0])) at = at[0];
  return at as [number, number];
}

export interface RunningApp {
  readonly origin: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** How a started stack is handed from the suite's setup to a test file (plain data). */
export interface SpareApp {
  readonly pid: number;
  readonly port: number;
  readonly logPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of test/e2e/global-setup.ts's stacks, one `spare-<n>.json` (a SpareApp) each. */
    e2eStackPool: string;
  }
}

/**
 * Spawns `npm start` (without the web build, done once by the suite's setup) on a free port,
 * in a process group of its own, its output going straight to `logPath`.
 */
export async function spawnApp(logPath: string): Promise<{ child: ChildProcess; spare: SpareApp }> {
  const port = await freePort();
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--port', String(port)], {
    cwd: process.cwd(),
    env: { ...process.env, XIUHUA_RATE_LIMITS: 'off', POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  return { child, spare: { pid: child.pid!, port, logPath } };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops a stack's whole process group (Ctrl-C, then SIGKILL after 15 s) and waits until it is gone. */
export async function stopApp(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(-pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Takes one of the setup's stacks, or undefined when none is left (or the file runs without the setup). */
function claimSpare(): SpareApp | undefined {
  let pool: string | undefined;
  try {
    pool = inject('e2eStackPool');
  } catch {
    return undefined;
  }
  if (pool === undefined) return undefined;
  for (const name of readdirSync(pool).filter((entry) => /^spare-\d+\.json$/.test(entry)).sort()) {
    const claimed = join(pool, `claimed-${name.slice('spare-'.length, -'.json'.length)}-${process.pid}.json`);
    try {
      renameSync(join(pool, name), claimed);
    } catch {
      continue; // another file took it first
    }
    return JSON.parse(readFileSync(claimed, 'utf8')) as SpareApp;
  }
  return undefined;
}

/**
 * `npm start` on a free port for this test file alone: a fresh stack with the demo district,
 * as each file has always had. The suite's setup starts the next file's stack while this one
 * runs (test/e2e/global-setup.ts), so the file usually finds it started or ready.
 */
export async function startApp(): Promise<RunningApp> {
  const spare = claimSpare() ?? (await spawnApp(join(mkdtempSync(join(tmpdir(), 'xiuhua-e2e-')), 'start.log'))).spare;
  const output = (): string => {
    try {
      return readFileSync(spare.logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (output().includes('ready in')) break;
    if (!alive(spare.pid)) throw new Error(`npm start exited:\n${output().slice(-3000)}`);
    if (Date.now() > deadline) {
      await stopApp(spare.pid);
      throw new Error(`npm start was not ready in 120 s:\n${output().slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    origin: `http://127.0.0.1:${spare.port}`,
    output,
    stop: () => stopApp(spare.pid),
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

export async function phoneContext(browser: Browser, options: { geolocation: { latitude: number; longitude: number; accuracy?: number }; locale?: string }): Promise<BrowserContext> {
  return browser.newContext({
    viewport: phone,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: { accuracy: 8, ...options.geolocation },
    permissions: ['geolocation'],
  });
}

/** A desktop browser for the console, in Chinese and the district's zone. */
export async function desktopContext(browser: Browser, options: { locale?: string; acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: desktop, locale: options.locale ?? 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: options.acceptDownloads ?? true });
}

/**
 * Signs a demo user in on the console as a person does: the sign-in page, their card. The
 * console then opens the first area the user's roles may see.
 */
export async function signInToConsole(page: Page, origin: string, sub: string): Promise<void> {
  await page.goto(`${origin}/console.html#/`);
  await page.locator(`[data-sub="${sub}"]`).click();
  await page.locator('nav.side').waitFor();
}

/** Fails the test on any uncaught page error; keeps the console for the failure message. */
export function watch(page: Page): { readonly log: string[] } {
  const log: string[] = [];
  page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  return { log };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: { readonly target: unknown }[];
}

/** axe-core on the page as it is: no serious or critical violation (issue 14's bar). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

/** Every visible control is at least 44×44 CSS px (touch targets). */
export async function expectTouchTargets(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a[href], label.button, input:not([type=file]), textarea, select')]
      .filter((element) => element.offsetParent !== null && !element.closest('.leaflet-container'))
      .map((element) => ({ text: (element.textContent ?? element.getAttribute('aria-label') ?? '').trim().slice(0, 30), rect: element.getBoundingClientRect() }))
      .filter(({ rect }) => rect.width < 44 || rect.height < 44)
      .map(({ text, rect }) => `${text} ${Math.round(rect.width)}×${Math.round(rect.height)}`),
  );
  expect(small, `${screen}: touch targets under 44 px`).toEqual([]);
}

/** The dev token of a demo user, as the sign-in page gets it. */
export async function devTokenOf(origin: string, sub: string): Promise<string> {
  const response = await fetch(`${origin}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { idToken: string }).idToken;
}

export async function apiGet<T>(origin: string, token: string, path: string): Promise<T> {
  const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}
