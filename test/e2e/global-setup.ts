import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildWeb, chromiumPath, spawnApp, stopApp } from './harness';

/**
 * The field app is built once for the suite, as `npm start` builds it. Every test file still
 * gets a fresh `npm start` of its own (no data is shared between files), but the stacks are
 * started here one ahead: the first while the field app builds, the next as soon as a file
 * takes the previous one (harness.ts startApp), so a file rarely waits for its stack to boot.
 * At most one stack waits unused; teardown stops whatever is left.
 */

let timer: NodeJS.Timeout | undefined;
let pool: string | undefined;
const children = new Map<number, ChildProcess>();

export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (.ci/run installs it)`);
  const dir = mkdtempSync(join(tmpdir(), 'xiuhua-e2e-stacks-'));
  pool = dir;
  project.provide('e2eStackPool', dir);
  // One stack per test file, never more (a filtered run may take fewer; teardown stops the rest).
  const files = readdirSync(join(process.cwd(), 'test', 'e2e'), { recursive: true }).filter((name) => String(name).endsWith('.test.ts')).length;
  let started = 0;
  let starting = false;
  const startOne = async (): Promise<void> => {
    starting = true;
    try {
      started += 1;
      const name = `spare-${String(started).padStart(2, '0')}`;
      const { child, spare } = await spawnApp(join(dir, `${name}.log`));
      children.set(spare.pid, child);
      // Written whole, then renamed: a test file never reads half a description.
      writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(spare));
      renameSync(join(dir, `${name}.tmp`), join(dir, `${name}.json`));
    } finally {
      starting = false;
    }
  };
  await startOne();
  buildWeb();
  timer = setInterval(() => {
    if (starting || started >= files) return;
    if (readdirSync(dir).some((name) => /^spare-\d+\.json$/.test(name))) return;
    startOne().catch((error: unknown) => console.error('[e2e] could not start the next stack:', error));
  }, 200);
}

export async function teardown(): Promise<void> {
  clearInterval(timer);
  await Promise.all([...children.keys()].map((pid) => stopApp(pid)));
  children.clear();
  if (pool !== undefined) rmSync(pool, { recursive: true, force: true });
}
