import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The monthly close of `npm run demo` (infra/local/demo.ts), step 10 on: per contract, the
 * statement computed from the stored facts, printed as a table, each line expanded to its
 * sources, reviewed, approved by one of two finance users who approve at the same moment (the
 * other is refused), and exported as XLSX with zh-CN headers, downloaded to ./.local/exports.
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
  /** Two finance users: the second approves at the same moment as the first. */
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
  readonly approved: number;
  /** The refused one of the two simultaneous approvals (409 or 412). */
  readonly secondApproval: number;
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
  let approved = 0;
  let secondApproval = 0;
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
    // Two finance users approve the reviewed version at the same moment: one wins.
    const [one, two] = await Promise.all([
      call<StatementRecord>('POST', `${base}/approval`, { token: finance, ifMatch: afterReview.version, body: {}, headers: { 'idempotency-key': `demo-approve-a-${contractId}-${afterReview.version}` } }),
      call<StatementRecord>('POST', `${base}/approval`, { token: secondFinance, ifMatch: afterReview.version, body: {}, headers: { 'idempotency-key': `demo-approve-b-${contractId}-${afterReview.version}` } }),
    ]);
    const winner = one.status === 200 ? one : two;
    const loser = one.status === 200 ? two : one;
    approved = Math.max(approved, winner.status);
    secondApproval = Math.max(secondApproval, loser.status);
    say(`Two finance users approve at once (both If-Match "${afterReview.version}"): ${winner.status} ${winner.status === 200 ? `approved, version ${winner.json.version}` : winner.text.slice(0, 200)}; the other → ${loser.status} ${problemTitle(loser.text)}`);
    const late = await call('POST', `${base}/approval`, { token: secondFinance, ifMatch: winner.status === 200 ? winner.json.version : afterReview.version, body: {} });
    say(`A second approval afterwards → ${late.status} ${problemTitle(late.text)}`);

    const exported = await call<{ key: string; url: string }>('POST', `${base}/exports`, { token: finance, body: { format: 'xlsx', lang: 'zh' } });
    if (exported.status !== 201) {
      say(`POST ${base}/exports → ${exported.status} ${exported.text.slice(0, 300)}`);
      continue;
    }
    const download = await fetch(exported.json.url);
    if (!download.ok) {
      say(`Downloading ${exported.json.key} → ${download.status}`);
      continue;
    }
    const path = saveExport(input.exportsDir, `${contractId}-${exported.json.key.split('/').pop() ?? 'statement.xlsx'}`, new Uint8Array(await download.arrayBuffer()));
    exportPath ??= path;
    say(`POST ${base}/exports {format: xlsx, lang: zh} → 201: ${exported.json.key}; downloaded to ${path}`);
  }
  return { computed, lines, linesExpanded, reviewed, approved, secondApproval, exportPath };
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
