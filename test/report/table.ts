import type { FigureRow, SuiteFigures, SuiteName } from './figures';

/**
 * The summary table of `npm run report` (issue 8 "Report"), as a pure function of what each
 * suite left behind: its figures file (or none) and its exit code. No I/O here, so the
 * rendering and the pass / fail verdict are unit-tested (test/unit/report-table.test.ts).
 */

export interface SuiteOutcome {
  readonly suite: SuiteName;
  /** The figures the suite wrote; absent when it did not run or did not get as far. */
  readonly figures?: SuiteFigures;
  /** The suite's process exit code; undefined when it was not started. */
  readonly exitCode?: number;
  /** Why the suite was not started (e.g. "no test files under test/faults"). */
  readonly notRun?: string;
  /** Where its output went. */
  readonly log?: string;
  /** How to run the suite alone when there are no figures to say so. */
  readonly command: string;
}

export interface Report {
  readonly text: string;
  /** False when any expectation failed, a suite failed, or a suite produced no figures. */
  readonly ok: boolean;
  /** One line per failing figure, for the end of the output. */
  readonly failures: readonly string[];
}

interface Line {
  readonly suite: string;
  readonly figure: string;
  readonly value: string;
  readonly required: string;
  readonly ok: string;
}

function shown(value: number | string): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : value;
}

function verdict(row: Pick<FigureRow, 'ok'>): string {
  return row.ok === undefined ? '' : row.ok ? 'ok' : 'FAIL';
}

function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The rows of one suite: its figures, then whether the suite process itself passed. */
function linesOf(outcome: SuiteOutcome): { lines: Line[]; failures: string[] } {
  const suite = outcome.figures === undefined ? outcome.suite : `${outcome.suite} (${outcome.figures.profile})`;
  if (outcome.notRun !== undefined) {
    return {
      lines: [{ suite, figure: 'figures', value: `not run: ${outcome.notRun}`, required: 'produced', ok: 'FAIL' }],
      failures: [`${outcome.suite}: not run (${outcome.notRun})`],
    };
  }
  const lines: Line[] = [];
  const failures: string[] = [];
  if (outcome.figures === undefined) {
    lines.push({ suite, figure: 'figures', value: 'none written (the suite stopped before its end)', required: 'produced', ok: 'FAIL' });
    failures.push(`${outcome.suite}: produced no figures`);
  } else {
    for (const row of outcome.figures.rows) {
      lines.push({ suite, figure: row.label, value: shown(row.value), required: row.expected ?? '', ok: verdict(row) });
      if (row.ok === false) failures.push(`${outcome.suite}: ${row.label.trim()} is ${shown(row.value)}, required ${row.expected ?? '(see suite)'}`);
    }
  }
  const exitOk = outcome.exitCode === 0;
  lines.push({ suite, figure: 'suite passed (vitest exit code)', value: String(outcome.exitCode ?? 'none'), required: '0', ok: exitOk ? 'ok' : 'FAIL' });
  if (!exitOk) failures.push(`${outcome.suite}: vitest exited with ${String(outcome.exitCode ?? 'no code')}${outcome.log === undefined ? '' : ` (see ${outcome.log})`}`);
  return { lines, failures };
}

/** Wide characters (CJK, fullwidth forms) take two terminal columns. */
const wide = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Terminal columns a text takes. */
export function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += wide.test(char) ? 2 : 1;
  return columns;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columnsOf(text)));
}

/** Renders the table and the per-suite rerun lines; `ok` is the report's verdict. */
export function renderReport(outcomes: readonly SuiteOutcome[]): Report {
  const header: Line = { suite: 'suite', figure: 'figure', value: 'value', required: 'required', ok: 'ok' };
  const all: Line[] = [];
  const failures: string[] = [];
  for (const outcome of outcomes) {
    const { lines, failures: failed } = linesOf(outcome);
    all.push(...lines);
    failures.push(...failed);
  }
  const keys = ['suite', 'figure', 'value', 'required', 'ok'] as const;
  const widths = Object.fromEntries(keys.map((key) => [key, Math.max(...[header, ...all].map((line) => columnsOf(line[key])))])) as Record<(typeof keys)[number], number>;
  const render = (line: Line): string => keys.map((key) => pad(line[key], widths[key])).join(' | ').replace(/(?:\s*\|)*\s*$/, ''); // a context row ends after its value
  const rule = keys.map((key) => '-'.repeat(widths[key])).join('-+-');

  const out: string[] = [render(header), rule];
  let previous: string | undefined;
  for (const line of all) {
    // The suite's name once, on its first row.
    out.push(render(previous === line.suite ? { ...line, suite: '' } : line));
    previous = line.suite;
  }
  out.push('');
  for (const outcome of outcomes) {
    const figures = outcome.figures;
    const parts = [
      figures === undefined ? `rerun: ${outcome.command}` : `rerun: ${figures.rerun}`,
      ...(figures?.seed === undefined ? [] : [`seed ${String(figures.seed)}`]),
      ...(figures === undefined ? [] : [`took ${minutes(figures.durationMs)}`]),
      ...(outcome.log === undefined ? [] : [`log ${outcome.log}`]),
    ];
    out.push(`${outcome.suite}: ${parts.join(' · ')}`);
  }
  const ok = failures.length === 0 && outcomes.length > 0;
  out.push('');
  out.push(ok ? 'report: every figure meets what issue 8 requires' : `report: ${failures.length} failing ${failures.length === 1 ? 'row' : 'rows'}`);
  for (const failure of failures) out.push(`  ✗ ${failure}`);
  return { text: out.join('\n'), ok, failures };
}
