import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The monthly close of `npm run demo` (infra/local/demo.ts), step 10 on: per contract, the
 * statement computed from the stored facts, printed as a table, each line expanded to its
 * sources, reviewed by one finance user; its approval refused to the reviewer (four eyes) and,
 * the month still running, to the second finance user too (a statement is approved once its
 * month has ended, issue 13); exported as XLSX with zh-CN headers, downloaded to ./.local/exports.
 * The routes: functions/http/statements/routes.ts and functions/http/exports/routes.ts.
 */

interface Answer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: T;
}

type Call = <T = Record<string, unknown>>(method: string, path: string, options: { token: string; body?: unknown; ifMatch?: number | string; headers?: Record<string, string> }) => Promise<Answer<T>>;

export interface StatementStepsInput {
  readonly call: Call;
  readonly expect: <T>(answer: Answer<T>, status: number, what: string) => T;
  readonly say: (line: string) => void;
  readonly yuan: (fen: number) => string;
  readonly month: string;
  /** Two finance users: the first reviews, both try to approve. */
  readonly financeTokens: readonly [string, string];
  readonly contracts: readonly { readonly contractId: string; readonly label: string }[];
  readonly exportsDir: string;
}

export interface StatementStepsOutcome {
  /** Status of the first computation (201 new draft). */
  readonly computed: number;
  readonly lines: number;
  readonly linesExpanded: number;
  readonly reviewed: number;
  /** The reviewer's own approval (409: four eyes, and the month is running). */
  readonly reviewerApproval: number;
  /** The rules that refused it (problem `rules`). */
  readonly reviewerApprovalRules: readonly string[];
  /** The second finance user's approval of the running month (409: the month has not ended). */
  readonly runningMonthApproval: number;
  readonly runningMonthApprovalRules: readonly string[];
  readonly exportPath: string | undefined;
}

interface Line {
  readonly key: string;
  readonly code: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly amountFen: number;
  readonly formula: string;
  readonly sources: Record<string, readonly string[] | undefined>;
}

interface StatementRecord {
  readonly version: number;
  readonly computeVersion: number;
  readonly status: string;
  readonly statement: { readonly scoreX100: number; readonly coefficientBps: number; readonly activeDays: number; readonly daysInMonth: number; readonly lines: readonly Line[]; readonly totals: Record<string, number> };
}

/** Runs the close for each contract; the outcome sums what every contract saw (worst status kept). */
export async function statementSteps(input: StatementStepsInput): Promise<StatementStepsOutcome> {
  const { call, expect, say, yuan, month } = input;
  const [finance, secondFinance] = input.financeTokens;
  let lines = 0;
  let linesExpanded = 0;
  let computed = 0;
  let reviewed = 0;
  let reviewerApproval = 0;
  let reviewerApprovalRules: readonly string[] = [];
  let runningMonthApproval = 0;
  let runningMonthApprovalRules: readonly string[] = [];
  let exportPath: string | undefined;
  for (const { contractId, label } of input.contracts) {
    const base = `/v1/contracts/${contractId}/statements/${month}`;
    say('');
    say(`${label} ${contractId}:`);
    const computation = await call<StatementRecord>('POST', `${base}/computations`, { token: finance });
    const record = expect(computation, computation.status === 200 ? 200 : 201, `computing the statement of ${contractId}`);
    computed = Math.max(computed, computation.status);
    const statement = record.statement;
    say(`POST ${base}/computations → ${computation.status}: draft, computation ${record.computeVersion}; score ${(statement.scoreX100 / 100).toFixed(2)}, coefficient ${statement.coefficientBps} bps, ${statement.activeDays}/${statement.daysInMonth} days in force.`);
    printTable(say, [
      ['line', 'amount ¥', 'sources'],
      ...statement.lines.map((line) => [`${line.labelZh} ${line.labelEn} [${line.key}]`, yuan(line.amountFen), String(sourceCount(line.sources))]),
      ['net', yuan(statement.totals['netFen'] ?? 0), ''],
    ]);
    say('Each line expanded to its sources (GET …/lines/{lineKey}):');
    for (const line of statement.lines) {
      const expanded = await call<{ line: Line; sources: Record<string, ReadonlyArray<{ id: string }>> }>('GET', `${base}/lines/${encodeURIComponent(line.key)}`, { token: finance });
      lines += 1;
      if (expanded.status !== 200) {
        say(`  ${line.key}: ${expanded.status} ${expanded.text.slice(0, 200)}`);
        continue;
      }
      linesExpanded += 1;
      const kinds = Object.entries(expanded.json.sources).filter(([, items]) => items.length > 0);
      say(`  ${line.key} = ${yuan(line.amountFen)}: ${line.formula}`);
      say(`    sources: ${kinds.length === 0 ? 'none (a formula of the contract terms only)' : kinds.map(([kind, items]) => `${items.length} ${kind} (${items.slice(0, 2).map((item) => item.id).join(', ')}${items.length > 2 ? ', …' : ''})`).join('; ')}`);
    }

    const review = await call<StatementRecord>('POST', `${base}/review`, { token: finance, ifMatch: record.version, body: { reason: '已核对考核扣分与罚款来源' } });
    const afterReview = expect(review, 200, `reviewing the statement of ${contractId}`);
    reviewed = Math.max(reviewed, review.status);
    say(`POST ${base}/review (If-Match "${record.version}") → ${review.status}: ${afterReview.status}.`);
    // The reviewer may not approve (four eyes), and nobody approves a month still running.
    const byReviewer = await call<{ rules?: string[] }>('POST', `${base}/approval`, { token: finance, ifMatch: afterReview.version, body: {} });
    reviewerApproval = Math.max(reviewerApproval, byReviewer.status);
    reviewerApprovalRules = byReviewer.json.rules ?? [];
    say(`The reviewer approves it (If-Match "${afterReview.version}") → ${byReviewer.status} ${problemTitle(byReviewer.text)}`);
    const bySecond = await call<{ rules?: string[] }>('POST', `${base}/approval`, { token: secondFinance, ifMatch: afterReview.version, body: {}, headers: { 'accept-language': 'zh-CN' } });
    runningMonthApproval = Math.max(runningMonthApproval, bySecond.status);
    runningMonthApprovalRules = bySecond.json.rules ?? [];
    say(`A second finance user approves it (Accept-Language: zh-CN) → ${bySecond.status} ${problemTitle(bySecond.text)}`);
    say(`It stays ${afterReview.status}: after ${month} ends, the second finance user approves it and the reviewer may record the payment.`);

    // An export is a job (issue 16): 202 at once, then the worker (the exports bucket's
    // notification, run in-process by the local stack) writes the file; the job is polled.
    const exported = await call<{ jobId: string; statusUrl: string }>('POST', `${base}/exports`, { token: finance, body: { format: 'xlsx', lang: 'zh' } });
    if (exported.status !== 202) {
      say(`POST ${base}/exports → ${exported.status} ${exported.text.slice(0, 300)}`);
      continue;
    }
    let job: { status: string; url?: string; fileName?: string; reason?: string } = { status: 'queued' };
    for (const until = Date.now() + 60_000; (job.status === 'queued' || job.status === 'running') && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await call<typeof job>('GET', exported.json.statusUrl, { token: finance })).json;
    }
    if (job.status !== 'ready' || job.url === undefined) {
      say(`GET ${exported.json.statusUrl} → ${job.status}${job.reason === undefined ? '' : `: ${job.reason}`}`);
      continue;
    }
    const download = await fetch(job.url);
    if (!download.ok) {
      say(`Downloading ${job.fileName ?? exported.json.jobId} → ${download.status}`);
      continue;
    }
    const path = saveExport(input.exportsDir, `${contractId}-${job.fileName ?? 'statement.xlsx'}`, new Uint8Array(await download.arrayBuffer()));
    exportPath ??= path;
    say(`POST ${base}/exports {format: xlsx, lang: zh} → 202: job ${exported.json.jobId}; GET ${exported.json.statusUrl} → ready: ${job.fileName ?? ''}; downloaded to ${path}`);
  }
  return { computed, lines, linesExpanded, reviewed, reviewerApproval, reviewerApprovalRules, runningMonthApproval, runningMonthApprovalRules, exportPath };
}

function sourceCount(sources: Record<string, readonly string[] | undefined>): number {
  return Object.values(sources).reduce((sum, ids) => sum + (ids?.length ?? 0), 0);
}

function problemTitle(text: string): string {
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    return `(${[problem.title, problem.detail].filter((part) => part !== undefined).join(': ')})`;
  } catch {
    return text.slice(0, 200);
  }
}

function printTable(say: (line: string) => void, rows: readonly string[][]): void {
  const width = (cell: string): number => [...cell].reduce((sum, char) => sum + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  for (const [index, row] of rows.entries()) {
    say(`  ${row.map((cell, column) => (column === 0 ? cell + ' '.repeat(widths[column]! - width(cell)) : ' '.repeat(widths[column]! - width(cell)) + cell)).join('   ')}`);
    if (index === 0) say(`  ${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  }
}

/** Writes a downloaded export under `dir`; returns its path. */
function saveExport(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(name));
  writeFileSync(path, bytes);
  return path;
}
