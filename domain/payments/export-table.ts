import { formatX100 } from '../money';
import type { ServiceType } from '../service-types';
import type { StatementStatus } from './records';
import type { LineSources, Statement } from './statement';

/**
 * The content of a statement export (issue 7 Exports), independent of the file format: the
 * summary, lines and sources tables with their headers in zh-CN (default) or English. The
 * XLSX and CSV writers (functions/adapters/export) only lay these tables out.
 *
 * Amounts stay integer fen here. Two renderings, both exact:
 * - text (`yuanText`): integer arithmetic on fen, never a float (CSV, labels);
 * - number (`yuanNumber`): fen / 100 for a spreadsheet cell shown with two decimals. IEEE 754
 *   division is correctly rounded, so the result is the double nearest to the decimal yuan
 *   value (relative error ≤ 2^-53); within Excel's 15 significant digits (`maxCellFen`) that is
 *   far below half a fen, so the two-decimal format shows exactly the fen amount and
 *   `Math.round(cell × 100)` gives the fen back (a property test checks the whole range). Sums are never made over the floats: totals come from the
 *   statement's integer totals.
 */

export const exportLanguages = ['zh', 'en'] as const;
export type ExportLanguage = (typeof exportLanguages)[number];

export const exportFormats = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** What an export needs of a stored statement record (records.ts `StatementRecord` has it). */
export interface StatementExportSubject {
  readonly tenantId: string;
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  readonly month: string;
  readonly version: number;
  /** The digest of the computation's inputs: an export of the same computation has the same key. */
  readonly computeVersion: number;
  readonly status: StatementStatus;
  readonly statement: Pick<Statement, 'lines' | 'totals' | 'scoreX100' | 'coefficientBps' | 'activeDays' | 'daysInMonth'>;
}

/** The Excel number format of yuan amounts: ¥ and two decimals, thousands separated. */
export const yuanNumberFormat = '"¥"#,##0.00';

/**
 * The largest amount a cell holds exactly: Excel keeps 15 significant digits, so
 * ¥9,999,999,999,999.99 (10^15 − 1 fen) — a trillion times any statement.
 */
export const maxCellFen = 999_999_999_999_999;

/** fen → yuan as a number for a spreadsheet cell (see the module note for why it is exact). */
export function yuanNumber(amountFen: number): number {
  if (!Number.isSafeInteger(amountFen) || Math.abs(amountFen) > maxCellFen) throw new RangeError(`fen must be an integer within ±${maxCellFen}, got ${amountFen}`);
  return amountFen / 100;
}

/** fen → "-1234.50": plain decimal text from integers only (CSV cells; no ¥, no separators, so tools parse it). */
export function yuanText(amountFen: number): string {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`fen must be a safe integer, got ${amountFen}`);
  const sign = amountFen < 0 ? '-' : '';
  const abs = Math.abs(amountFen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A cell: text, a count, or an amount in fen (rendered as ¥). */
export type ExportCell = { readonly text: string } | { readonly fen: number } | { readonly number: number };

export interface ExportSheet {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly ExportCell[])[];
}

export interface ExportTables {
  readonly summary: ExportSheet;
  readonly lines: ExportSheet;
  readonly sources: ExportSheet;
  /** Approved and paid statements are immutable (issue 7 Lifecycle): the sheets are protected. */
  readonly protect: boolean;
}

const text = (value: string): ExportCell => ({ text: value });
const money = (value: number): ExportCell => ({ fen: value });

const words = {
  zh: {
    sheets: { summary: '汇总', lines: '明细', sources: '来源' },
    summaryHeaders: ['项目', '值'],
    linesHeaders: ['行', '编号', '项目', '计算公式', '金额(元)'],
    sourcesHeaders: ['行', '来源类型', '来源编号'],
    status: { draft: '草稿', reviewed: '已复核', approved: '已审定', paid: '已支付' },
    fields: {
      contract: '合同',
      contractor: '服务单位',
      serviceType: '服务类型',
      month: '月份',
      status: '状态',
      version: '版本',
      computeVersion: '计算版本',
      activeDays: '履约天数',
      score: '考核得分',
      coefficient: '考核系数',
    },
    totals: {
      baseFen: '基本服务费',
      unitRateFen: '计量服务费',
      bonusFen: '考核奖励',
      qualityDeductionFen: '考核扣款',
      finesFen: '罚款合计',
      capFen: '扣款上限',
      excessFen: '超出上限部分(不扣)',
      deductionsTakenFen: '实际扣款',
      retentionFen: '质量保证金暂扣',
      adjustmentsFen: '往月调整',
      netFen: '应付金额',
    },
    kinds: {
      taskIds: '作业任务',
      proofIds: '作业凭证',
      inspectionIds: '检查记录',
      orderIds: '整改单',
      workOrderIds: '派工单',
      complaintIds: '投诉',
      itemCodes: '考核细则条目',
      amendmentIds: '合同变更',
      segmentIds: '作业路段',
      statementRefs: '往月结算单',
      lineKeys: '所依据的明细',
    },
  },
  en: {
    sheets: { summary: 'Summary', lines: 'Lines', sources: 'Sources' },
    summaryHeaders: ['Item', 'Value'],
    linesHeaders: ['Line', 'Code', 'Label', 'Formula', 'Amount (CNY)'],
    sourcesHeaders: ['Line', 'Source kind', 'Source id'],
    status: { draft: 'draft', reviewed: 'reviewed', approved: 'approved', paid: 'paid' },
    fields: {
      contract: 'Contract',
      contractor: 'Contractor',
      serviceType: 'Service type',
      month: 'Month',
      status: 'Status',
      version: 'Version',
      computeVersion: 'Compute version',
      activeDays: 'Active days',
      score: 'Score',
      coefficient: 'Coefficient',
    },
    totals: {
      baseFen: 'Base fee',
      unitRateFen: 'Unit-rate work',
      bonusFen: 'Quality bonus',
      qualityDeductionFen: 'Quality deduction',
      finesFen: 'Fines',
      capFen: 'Deduction cap',
      excessFen: 'Above the cap (not taken)',
      deductionsTakenFen: 'Deductions taken',
      retentionFen: 'Retention',
      adjustmentsFen: 'Adjustments',
      netFen: 'Net payable',
    },
    kinds: {
      taskIds: 'task',
      proofIds: 'proof',
      inspectionIds: 'inspection',
      orderIds: 'rectification order',
      workOrderIds: 'work order',
      complaintIds: 'complaint',
      itemCodes: 'rulebook item',
      amendmentIds: 'amendment',
      segmentIds: 'segment',
      statementRefs: 'earlier statement',
      lineKeys: 'line derived from',
    },
  },
} as const;

type SourceKind = keyof LineSources;
const sourceKinds: readonly SourceKind[] = [
  'taskIds',
  'proofIds',
  'inspectionIds',
  'orderIds',
  'workOrderIds',
  'complaintIds',
  'itemCodes',
  'amendmentIds',
  'segmentIds',
  'statementRefs',
  'lineKeys',
];

/** The three tables of a statement export, in `lang` (zh-CN by default, issue 7 Exports). */
export function exportTables(subject: StatementExportSubject, lang: ExportLanguage = 'zh'): ExportTables {
  const w = words[lang];
  const { statement } = subject;
  const totals = statement.totals;
  const summaryRows: ExportCell[][] = [
    [text(w.fields.contract), text(subject.contractId)],
    [text(w.fields.contractor), text(subject.contractorId)],
    [text(w.fields.serviceType), text(subject.serviceType)],
    [text(w.fields.month), text(subject.month)],
    [text(w.fields.status), text(w.status[subject.status])],
    [text(w.fields.version), { number: subject.version }],
    [text(w.fields.computeVersion), text(String(subject.computeVersion))],
    [text(w.fields.activeDays), text(`${statement.activeDays}/${statement.daysInMonth}`)],
    [text(w.fields.score), text(formatX100(statement.scoreX100))],
    [text(w.fields.coefficient), text(`${formatX100(statement.coefficientBps)}%`)],
    ...(Object.keys(w.totals) as (keyof typeof w.totals)[]).map((field) => [text(w.totals[field]), money(totals[field])]),
  ];
  const label = (line: Statement['lines'][number]): string => (lang === 'zh' ? line.labelZh : line.labelEn);
  const lineRows = statement.lines.map((line) => [text(line.key), text(line.code), text(label(line)), text(line.formula), money(line.amountFen)]);
  const sourceRows: ExportCell[][] = [];
  for (const line of statement.lines) {
    for (const kind of sourceKinds) {
      for (const id of line.sources[kind] ?? []) sourceRows.push([text(line.key), text(w.kinds[kind]), text(id)]);
    }
  }
  return {
    summary: { name: w.sheets.summary, headers: w.summaryHeaders, rows: summaryRows },
    lines: { name: w.sheets.lines, headers: w.linesHeaders, rows: lineRows },
    sources: { name: w.sheets.sources, headers: w.sourcesHeaders, rows: sourceRows },
    protect: subject.status === 'approved' || subject.status === 'paid',
  };
}

/**
 * CSV of a sheet per RFC 4180: CRLF line ends, every field quoted only when it holds a quote,
 * comma, CR or LF (quotes doubled), amounts as exact decimal yuan text. Prefixed with a UTF-8
 * BOM so Excel in a zh-CN locale opens the Chinese text as UTF-8 rather than GBK.
 */
export function csvOf(sheet: ExportSheet): string {
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const cell = (value: ExportCell): string => ('text' in value ? field(value.text) : 'fen' in value ? yuanText(value.fen) : String(value.number));
  const lines = [sheet.headers.map(field).join(','), ...sheet.rows.map((row) => row.map(cell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Where an export lives in the exports bucket (issue 7: under `exports/`), one object per computation and language. */
export function exportKey(subject: Pick<StatementExportSubject, 'tenantId' | 'contractId' | 'month' | 'computeVersion'>, lang: ExportLanguage, format: ExportFormat): string {
  return `exports/${subject.tenantId}/${subject.contractId}/${subject.month}/${subject.computeVersion}-${lang}.${format}`;
}
