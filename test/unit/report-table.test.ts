import { describe, expect, it } from 'vitest';
import { atLeast, context, mustBe, passed, type SuiteFigures } from '../report/figures';
import { columnsOf, renderReport, type SuiteOutcome } from '../report/table';

/** The table `npm run report` prints (test/report/table.ts), from made-up suite outcomes. */

function figures(suite: SuiteFigures['suite'], rows: SuiteFigures['rows'], extra: Partial<SuiteFigures> = {}): SuiteFigures {
  return { suite, profile: 'full', rerun: `npm run test:${suite}`, rows, durationMs: 83_000, finishedAt: '2026-11-23T10:00:00.000Z', ...extra };
}

const authz: SuiteOutcome = {
  suite: 'authz',
  exitCode: 0,
  log: '.local/report/authz.log',
  command: 'npm run test:authz',
  figures: figures('authz', [atLeast('checks run', 4_212, 1_000), mustBe('leaks', 0, 0), mustBe('wrongly refused', 0, 0)]),
};

const fuzz: SuiteOutcome = {
  suite: 'fuzz',
  exitCode: 0,
  log: '.local/report/fuzz.log',
  command: 'FUZZ_PROFILE=full npm run test:fuzz',
  figures: figures('fuzz', [atLeast('requests sent', 10_412, 10_000), mustBe('5xx answers', 0, 0), context('edge-valid GETs sent', 388)], {
    seed: 1_234_567,
    rerun: 'FUZZ_SEED=1234567 FUZZ_RUNS=10500 FUZZ_PROFILE=full npm run test:fuzz',
  }),
};

const faults: SuiteOutcome = {
  suite: 'faults',
  exitCode: 0,
  log: '.local/report/faults.log',
  command: 'FAULTS_PROFILE=full npm run test:faults',
  figures: figures('faults', [mustBe('proofs lost', 0, 0), mustBe('statements byte-identical to the clean run', 'yes', 'yes')], { seed: 42, rerun: 'FAULTS_SEED=42 FAULTS_PROFILE=full npm run test:faults' }),
};

/** The table's rows (between the rule and the first blank line), split into trimmed cells. */
function cells(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^-+-\+-/.test(line)) + 1;
  const end = lines.indexOf('', start);
  return lines.slice(start, end).map((line) => line.split(' | ').map((cell) => cell.trim()));
}

describe('the figure helpers', () => {
  it('judge a row against what is required', () => {
    expect(mustBe('leaks', 0, 0)).toEqual({ label: 'leaks', value: 0, expected: '0', ok: true });
    expect(mustBe('leaks', 2, 0).ok).toBe(false);
    expect(mustBe('identical', 'no: a.csv', 'yes')).toEqual({ label: 'identical', value: 'no: a.csv', expected: 'yes', ok: false });
    expect(atLeast('requests', 9_999, 10_000)).toEqual({ label: 'requests', value: 9_999, expected: '≥ 10,000', ok: false });
    expect(atLeast('requests', 10_000, 10_000).ok).toBe(true);
    expect(context('seed', 7)).toEqual({ label: 'seed', value: 7 });
  });

  it('pass a suite only when every judged row passes', () => {
    expect(passed(figures('authz', [mustBe('leaks', 0, 0), context('routes', 90)]))).toBe(true);
    expect(passed(figures('authz', [mustBe('leaks', 1, 0), context('routes', 90)]))).toBe(false);
  });
});

describe('renderReport', () => {
  it('prints one row per figure with its value, requirement and verdict, and passes when all pass', () => {
    // Act
    const report = renderReport([authz, fuzz, faults]);

    // Assess
    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
    expect(cells(report.text)).toEqual([
      ['authz (full)', 'checks run', '4,212', '≥ 1,000', 'ok'],
      ['', 'leaks', '0', '0', 'ok'],
      ['', 'wrongly refused', '0', '0', 'ok'],
      ['', 'suite passed (vitest exit code)', '0', '0', 'ok'],
      ['fuzz (full)', 'requests sent', '10,412', '≥ 10,000', 'ok'],
      ['', '5xx answers', '0', '0', 'ok'],
      ['', 'edge-valid GETs sent', '388'],
      ['', 'suite passed (vitest exit code)', '0', '0', 'ok'],
      ['faults (full)', 'proofs lost', '0', '0', 'ok'],
      ['', 'statements byte-identical to the clean run', 'yes', 'yes', 'ok'],
      ['', 'suite passed (vitest exit code)', '0', '0', 'ok'],
    ]);
    expect(report.text).toContain('report: every figure meets what issue 8 requires');
  });

  it('aligns the columns, counting a Chinese character as two', () => {
    // Prepare
    const chinese: SuiteOutcome = { ...authz, figures: figures('authz', [mustBe('泄漏 leaks', 0, 0), mustBe('leaks', 0, 0)]) };

    // Act
    const lines = renderReport([chinese]).text.split('\n').slice(0, 4);

    // Assess: every separator sits at the same terminal column on every line.
    const separatorColumns = lines.map((line) => {
      const columns: number[] = [];
      let at = 0;
      for (const char of line) {
        if (char === '|' || char === '+') columns.push(at);
        at += columnsOf(char);
      }
      return columns;
    });
    expect(new Set(separatorColumns.map((columns) => columns.join(','))).size).toBe(1);
    expect(columnsOf('泄漏 x')).toBe(6);
  });

  it('fails, and names the row, when a figure misses its requirement', () => {
    // Prepare
    const leaking: SuiteOutcome = { ...authz, exitCode: 1, figures: figures('authz', [atLeast('checks run', 4_212, 1_000), mustBe('leaks', 3, 0)]) };

    // Act
    const report = renderReport([leaking, fuzz]);

    // Assess
    expect(report.ok).toBe(false);
    expect(cells(report.text)[1]).toEqual(['', 'leaks', '3', '0', 'FAIL']);
    expect(report.failures).toEqual(['authz: leaks is 3, required 0', 'authz: vitest exited with 1 (see .local/report/authz.log)']);
    expect(report.text).toContain('report: 2 failing rows');
  });

  it('fails a suite that passed its figures but whose process failed (another test in it broke)', () => {
    // Act
    const report = renderReport([{ ...fuzz, exitCode: 1 }]);

    // Assess
    expect(report.ok).toBe(false);
    expect(cells(report.text).at(-1)).toEqual(['', 'suite passed (vitest exit code)', '1', '0', 'FAIL']);
  });

  it('says "not run" for a suite that does not exist yet, and fails rather than crash', () => {
    // Act
    const report = renderReport([authz, { suite: 'faults', notRun: 'no test files under test/faults', command: 'FAULTS_PROFILE=full npm run test:faults' }]);

    // Assess
    expect(report.ok).toBe(false);
    expect(cells(report.text).at(-1)).toEqual(['faults', 'figures', 'not run: no test files under test/faults', 'produced', 'FAIL']);
    expect(report.text).toContain('faults: rerun: FAULTS_PROFILE=full npm run test:faults');
  });

  it('fails a suite that ran but wrote no figures (it stopped before its end)', () => {
    // Act
    const { figures: _none, ...crashed } = fuzz;
    const report = renderReport([{ ...crashed, exitCode: 1 }]);

    // Assess
    expect(report.ok).toBe(false);
    expect(cells(report.text)[0]).toEqual(['fuzz', 'figures', 'none written (the suite stopped before its end)', 'produced', 'FAIL']);
    expect(report.failures[0]).toBe('fuzz: produced no figures');
  });

  it('prints the rerun command, seed, duration and log of each suite', () => {
    // Act
    const text = renderReport([authz, fuzz]).text;

    // Assess
    expect(text).toContain('authz: rerun: npm run test:authz · took 1:23 · log .local/report/authz.log');
    expect(text).toContain('fuzz: rerun: FUZZ_SEED=1234567 FUZZ_RUNS=10500 FUZZ_PROFILE=full npm run test:fuzz · seed 1234567 · took 1:23 · log .local/report/fuzz.log');
  });

  it('does not pass an empty report', () => {
    expect(renderReport([]).ok).toBe(false);
  });
});
