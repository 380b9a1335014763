import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The figures each hardening suite (issue 8) leaves behind for `npm run report`: one JSON
 * file per suite under .local/report/, written at the end of the suite's run. The report
 * reads them back and prints one table; a suite that did not run has no file (the report
 * says so rather than showing stale numbers: it deletes the files before it runs the suites).
 */

export type SuiteName = 'authz' | 'fuzz' | 'faults';

export interface FigureRow {
  /** What is counted, as the table shows it ("5xx answers", "proofs lost"). */
  readonly label: string;
  readonly value: number | string;
  /** What the issue requires ("0", "yes", "≥ 10 000"); absent for context rows. */
  readonly expected?: string;
  /** Whether `value` meets `expected`; absent for context rows. */
  readonly ok?: boolean;
}

export interface SuiteFigures {
  readonly suite: SuiteName;
  /** `ci` for the smaller seed-fixed profile in `npm test`, `full` for the report's. */
  readonly profile: 'ci' | 'full';
  /** The seed that reproduces the run, when the suite draws at random. */
  readonly seed?: number | string;
  /** How to repeat exactly this run. */
  readonly rerun: string;
  readonly rows: readonly FigureRow[];
  readonly durationMs: number;
  readonly finishedAt: string;
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const reportDir = join(projectRoot, '.local', 'report');

export function figuresPath(suite: SuiteName): string {
  return join(reportDir, `${suite}.json`);
}

export function writeFigures(figures: SuiteFigures): void {
  const path = figuresPath(figures.suite);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(figures, null, 2)}\n`);
}

export function readFigures(suite: SuiteName): SuiteFigures | undefined {
  try {
    return JSON.parse(readFileSync(figuresPath(suite), 'utf8')) as SuiteFigures;
  } catch {
    return undefined;
  }
}

/** A row that must equal `required` (a count that must be 0, a verdict that must be yes). */
export function mustBe(label: string, value: number | string, required: number | string): FigureRow {
  return { label, value, expected: typeof required === 'number' ? required.toLocaleString('en-US') : required, ok: value === required };
}

/** A row that must reach `minimum` (requests sent, checks run). */
export function atLeast(label: string, value: number, minimum: number): FigureRow {
  return { label, value, expected: `≥ ${minimum.toLocaleString('en-US')}`, ok: value >= minimum };
}

/** A row shown for context, with no requirement. */
export function context(label: string, value: number | string): FigureRow {
  return { label, value };
}

/** Whether every row with an expectation met it. */
export function passed(figures: SuiteFigures): boolean {
  return figures.rows.every((row) => row.ok !== false);
}
