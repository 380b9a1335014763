/**
 * `npm test`: the README's steps — type check, unit, integration, authz, fuzz, faults, infra,
 * e2e — in two lanes that run side by side. Every step is the same `npm run <script>` as
 * before and runs whole; only the order changes. One lane is faults and integration, long
 * and mostly waiting on their stacks (DynamoDB Local, s3rver, HTTP); the other the rest (tsc,
 * the unit files, CDK synth and esbuild, the browser), so a 2-core machine is kept busy.
 *
 * Each line is printed as it comes, prefixed with its step; the whole output of every step is
 * also kept in test-results/steps/<step>.log. After the first failure no further step starts
 * (running ones finish); the failed steps' output is printed again at the end, unprefixed,
 * with a table of times.
 *
 *   XIUHUA_TEST_SERIAL=1 npm test    one step at a time, in the README's order
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

interface Step {
  readonly name: string;
  readonly script: string;
  readonly env?: Readonly<Record<string, string>>;
}

const steps = {
  typecheck: { name: 'typecheck', script: 'typecheck' },
  unit: { name: 'unit', script: 'test:unit' },
  integration: { name: 'integration', script: 'test:integration' },
  authz: { name: 'authz', script: 'test:authz' },
  fuzz: { name: 'fuzz', script: 'test:fuzz' },
  faults: { name: 'faults', script: 'test:faults', env: { FAULTS_PROFILE: 'ci' } },
  infra: { name: 'infra', script: 'test:infra' },
  e2e: { name: 'e2e', script: 'test:e2e' },
} satisfies Record<string, Step>;

const serialOrder: Step[] = [steps.typecheck, steps.unit, steps.integration, steps.authz, steps.fuzz, steps.faults, steps.infra, steps.e2e];
/**
 * Balanced on 2 cores: ~250 s each (npm test 552 s one step at a time → ~255 s in lanes). The
 * longest steps start first. Integration, authz, fuzz and faults each start a stack of their
 * own on free ports, as they always have, so none sees another's data.
 */
const lanes: Step[][] = [
  [steps.faults, steps.integration],
  [steps.typecheck, steps.unit, steps.infra, steps.fuzz, steps.authz, steps.e2e],
];

const serial = process.env['XIUHUA_TEST_SERIAL'] === '1' || availableParallelism() < 2;
const logDir = join(process.cwd(), 'test-results', 'steps');
mkdirSync(logDir, { recursive: true });
const width = Math.max(...serialOrder.map((step) => step.name.length));

interface Outcome {
  readonly step: Step;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  readonly log: string;
}

const outcomes: Outcome[] = [];
const running = new Set<ChildProcess>();
let failed = false;
let interrupted = false;

/** Writes a step's output to its log whole and to stdout line by line, each line prefixed. */
function prefixer(prefix: string, log: WriteStream): { write: (chunk: Buffer) => void; flush: () => void } {
  let partial = '';
  return {
    write(chunk) {
      log.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) process.stdout.write(lines.map((line) => `${prefix}${line}\n`).join(''));
    },
    flush() {
      if (partial !== '') process.stdout.write(`${prefix}${partial}\n`);
      partial = '';
    },
  };
}

function run(step: Step): Promise<Outcome> {
  const started = Date.now();
  const logPath = join(logDir, `${step.name}.log`);
  const log = createWriteStream(logPath);
  const prefix = serial ? '' : `[${step.name.padEnd(width)}] `;
  process.stdout.write(`${prefix}▶ npm run ${step.script}${step.env === undefined ? '' : ` (${Object.entries(step.env).map(([k, v]) => `${k}=${v}`).join(' ')})`}\n`);
  const env = { ...process.env, XIUHUA_VITEST_CACHE_DIR: join('node_modules', '.vite', 'steps', step.name), ...step.env };
  const child = spawn('npm', ['run', step.script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const out = prefixer(prefix, log);
  const err = prefixer(prefix, log);
  child.stdout!.on('data', out.write);
  child.stderr!.on('data', err.write);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      out.flush();
      err.flush();
      log.end();
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`${prefix}${code === 0 ? '✔' : '✘'} ${step.name} ${code === 0 ? 'passed' : `failed (${signal ?? `exit ${code}`})`} in ${seconds.toFixed(1)} s\n`);
      resolve({ step, code, signal, seconds, log: logPath });
    });
  });
}

async function lane(queue: readonly Step[]): Promise<void> {
  for (const step of queue) {
    if (failed || interrupted) return;
    const outcome = await run(step);
    outcomes.push(outcome);
    if (outcome.code !== 0) failed = true;
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted = true;
    for (const child of running) child.kill(signal);
  });
}

const started = Date.now();
await (serial ? lane(serialOrder) : Promise.all(lanes.map(lane)));
const total = (Date.now() - started) / 1000;

for (const outcome of outcomes.filter((o) => o.code !== 0)) {
  process.stdout.write(`\n──── ${outcome.step.name} failed: its output (${outcome.log}) ────\n`);
  process.stdout.write(readFileSync(outcome.log, 'utf8'));
}
process.stdout.write(`\nnpm test (${serial ? 'one step at a time' : `${lanes.length} lanes`}):\n`);
for (const step of serialOrder) {
  const outcome = outcomes.find((o) => o.step === step);
  const status = outcome === undefined ? 'not run' : outcome.code === 0 ? 'passed' : 'FAILED';
  process.stdout.write(`  ${step.name.padEnd(width)}  ${status.padEnd(7)}  ${outcome === undefined ? '' : `${outcome.seconds.toFixed(1).padStart(6)} s`}\n`);
}
process.stdout.write(`  ${'total'.padEnd(width)}  ${''.padEnd(7)}  ${total.toFixed(1).padStart(6)} s (wall)\n`);
process.exitCode = failed || interrupted || outcomes.length < serialOrder.length ? 1 : 0;
