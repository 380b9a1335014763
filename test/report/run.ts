import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresPath, readFigures, reportDir, type SuiteName } from './figures';
import { renderReport, type SuiteOutcome } from './table';

/**
 * `npm run report` (issue 8 "Report"): runs the authorization matrix, the fuzzer in its full
 * profile (≥ 10 000 requests) and the fault-injection month in its full profile, one after the
 * other, each as its own vitest process with its output in .local/report/<suite>.log; then
 * prints one table of the figures each suite wrote (test/report/figures.ts) against what the
 * issue requires. Exit code 1 when a figure misses its requirement, a suite fails, or a suite
 * leaves no figures (a suite with no test files is reported "not run", never skipped silently).
 *
 * `npm run report -- fuzz` runs only the suites named.
 */

interface SuitePlan {
  readonly suite: SuiteName;
  readonly folder: string;
  /** Environment that selects the full profile. */
  readonly env: Readonly<Record<string, string>>;
  /** The command a reader can run alone. */
  readonly command: string;
}

const plans: readonly SuitePlan[] = [
  { suite: 'authz', folder: 'test/authz', env: {}, command: 'npm run test:authz' },
  { suite: 'fuzz', folder: 'test/fuzz', env: { FUZZ_PROFILE: 'full' }, command: 'FUZZ_PROFILE=full npm run test:fuzz' },
  { suite: 'faults', folder: 'test/faults', env: { FAULTS_PROFILE: 'full' }, command: 'FAULTS_PROFILE=full npm run test:faults' },
];

const root = fileURLToPath(new URL('../..', import.meta.url));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const tty = process.stdout.isTTY === true;

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function hasTests(folder: string): boolean {
  const path = join(root, folder);
  return existsSync(path) && readdirSync(path).some((name) => name.endsWith('.test.ts'));
}

function withoutColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

/** Escape sequences (colours, cursor moves) stripped from a line shown in the progress line. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Runs one suite, its output to the log, one progress line on the terminal. */
function runSuite(plan: SuitePlan, log: string): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const started = Date.now();
    let last = '';
    let lines = 0;
    const child = spawn(process.execPath, [vitest, 'run', '--project', plan.suite], {
      cwd: root,
      // No colours in the log (picocolors turns them ON for any FORCE_COLOR, even 0).
      env: { ...withoutColour(process.env), ...plan.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer): void => {
      out.write(chunk);
      const text = chunk.toString('utf8');
      lines += text.split('\n').length - 1;
      const latest = plain(text).split('\n').map((line) => line.trim()).filter((line) => line !== '').pop();
      if (latest !== undefined) last = latest;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const progress = (): string => `  ${plan.suite.padEnd(6)} running ${clock(Date.now() - started)} · ${lines} log lines · ${last.slice(0, 70)}`;
    const timer = setInterval(
      () => {
        if (tty) process.stdout.write(`\r\u001b[2K${progress()}`);
        else console.log(progress());
      },
      tty ? 1_000 : 60_000,
    );
    child.on('close', (code, signal) => {
      clearInterval(timer);
      out.end();
      const exit = code ?? (signal === null ? 1 : 128);
      const line = `  ${plan.suite.padEnd(6)} ${exit === 0 ? 'passed' : `FAILED (exit ${exit}${signal === null ? '' : `, ${signal}`})`} in ${clock(Date.now() - started)} · log ${relative(root, log)}`;
      if (tty) process.stdout.write(`\r\u001b[2K${line}\n`);
      else console.log(line);
      resolve(exit);
    });
  });
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !plans.some((plan) => plan.suite === name));
  if (unknown.length > 0) {
    console.error(`unknown suite ${unknown.join(', ')}; the suites are ${plans.map((plan) => plan.suite).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length === 0 ? plans : plans.filter((plan) => wanted.includes(plan.suite));
  mkdirSync(reportDir, { recursive: true });
  // No stale numbers: a suite that does not get to write its figures shows none.
  for (const plan of selected) rmSync(figuresPath(plan.suite), { force: true });

  console.log(`npm run report: ${selected.map((plan) => plan.suite).join(', ')} (full profiles; each log under ${relative(root, reportDir)}/)`);
  const outcomes: SuiteOutcome[] = [];
  for (const plan of selected) {
    const log = join(reportDir, `${plan.suite}.log`);
    if (!hasTests(plan.folder)) {
      console.log(`  ${plan.suite.padEnd(6)} not run: no test files under ${plan.folder}`);
      outcomes.push({ suite: plan.suite, notRun: `no test files under ${plan.folder}`, command: plan.command });
      continue;
    }
    const exitCode = await runSuite(plan, log);
    const figures = readFigures(plan.suite);
    outcomes.push({ suite: plan.suite, exitCode, log: relative(root, log), command: plan.command, ...(figures === undefined ? {} : { figures }) });
  }

  const report = renderReport(outcomes);
  console.log(`\n${report.text}`);
  process.exitCode = report.ok ? 0 : 1;
}

await main();
