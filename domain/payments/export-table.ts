import { defaultZone } from '../zone';
import { formatX100 } from '../money';
import type { ServiceType } from '../service-types';
import type { LifecycleEntry, PaymentEntry, StatementStatus } from './records';
import type { LineSources, Statement } from './statement';

/**
 * The content of a statement export (issue 7 Exports; issue 15 Finance: the zh version a
 * finance office files), independent of the file format: the summary, lines and sources
 * tables in zh-CN (default) or English — names instead of ids where the caller found them,
 * labels and formulas in the language, a header block (单位, 合同, 承包单位, 月份, 版本, 状态,
 * 审核, 批准) and the net amount as the lines' total row. The XLSX and CSV writers
 * (functions/adapters/export and `statementCsv`) only lay these tables out.
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
  readonly review?: LifecycleEntry;
  readonly approval?: LifecycleEntry;
  readonly payment?: PaymentEntry;
}

/**
 * The names an export shows instead of ids, read by the caller when exporting (a contractor's
 * name or a road's can change; the export shows them as they are that day). Each is optional:
 * a name not found is replaced by its id rather than invented.
 */
export interface ExportNames {
  /** The district (tenant) name, e.g. 静安区. */
  readonly tenantName?: string;
  /** The contract's title (合同名称). */
  readonly contractTitle?: string;
  /** The contractor's registered name (承包单位). */
  readonly contractorName?: string;
  /** Segment id → 路段名称, for the segments the lines' sources list. */
  readonly segmentNames?: Readonly<Record<string, string>>;
  /** The tenant's IANA zone: review and approval instants are shown in it (default Asia/Shanghai). */
  readonly zone?: string;
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
  /** A title line above everything else (the printed page's heading). */
  readonly title?: string;
  /** Label-value rows between the title and the table (the summary's header block). */
  readonly preamble?: readonly (readonly ExportCell[])[];
  readonly headers: readonly string[];
  readonly rows: readonly (readonly ExportCell[])[];
  /** A closing row under the table (the lines' total: the net amount). */
  readonly totals?: readonly ExportCell[];
}

export interface ExportTables {
  readonly lang: ExportLanguage;
  readonly summary: ExportSheet;
  readonly lines: ExportSheet;
  readonly sources: ExportSheet;
  /** What the CSV opens with: contract, contractor, month, version, status, net amount. */
  readonly heading: readonly (readonly ExportCell[])[];
  /** The printed page's footer (page x of n), in the language. */
  readonly pageFooter: string;
  /** Approved and paid statements are immutable (issue 7 Lifecycle): the sheets are protected. */
  readonly protect: boolean;
}

const text = (value: string): ExportCell => ({ text: value });
const money = (value: number): ExportCell => ({ fen: value });

const words = {
  zh: {
    sheets: { summary: '汇总', lines: '明细', sources: '来源' },
    titles: { summary: '结算单', lines: '结算单明细', sources: '结算单来源' },
    summaryHeaders: ['项目', '值'],
    linesHeaders: ['序号', '项目', '计算公式', '金额(元)', '行标识'],
    sourcesHeaders: ['序号', '项目', '来源类型', '名称', '编号'],
    linesTotal: '合计（应付金额）',
    pageFooter: '&C第 &P 页，共 &N 页',
    status: { draft: '草稿', reviewed: '已审核', approved: '已批准', paid: '已支付' },
    serviceTypes: { cleaning: '环卫保洁', greening: '绿化养护', municipal: '市政设施维护' },
    month: (month: string): string => `${month.slice(0, 4)}年${month.slice(5, 7)}月`,
    version: (computeVersion: number): string => `第 ${computeVersion} 版`,
    signed: (entry: LifecycleEntry | undefined, zone: string, none: string): string => (entry === undefined ? none : `${entry.by}，${localTime(entry.at, zone)}`),
    notReviewed: '未审核',
    notApproved: '未批准',
    paid: (payment: PaymentEntry): string => `${payment.paidOn}，凭证号 ${payment.reference}（${payment.by}）`,
    block: {
      tenant: '单位',
      contract: '合同',
      contractor: '承包单位',
      month: '月份',
      version: '版本',
      status: '状态',
      review: '审核',
      approval: '批准',
      payment: '支付',
      net: '应付金额',
    },
    fields: {
      contractId: '合同编号',
      serviceType: '服务类型',
      recordVersion: '记录版本',
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
    fileStem: '结算单',
  },
  en: {
    sheets: { summary: 'Summary', lines: 'Lines', sources: 'Sources' },
    titles: { summary: 'Statement', lines: 'Statement lines', sources: 'Statement sources' },
    summaryHeaders: ['Item', 'Value'],
    linesHeaders: ['No.', 'Item', 'Formula', 'Amount (CNY)', 'Line key'],
    sourcesHeaders: ['No.', 'Item', 'Source kind', 'Name', 'Id'],
    linesTotal: 'Total (net payable)',
    pageFooter: '&CPage &P of &N',
    status: { draft: 'draft', reviewed: 'reviewed', approved: 'approved', paid: 'paid' },
    serviceTypes: { cleaning: 'street cleaning', greening: 'greening upkeep', municipal: 'municipal upkeep' },
    month: (month: string): string => month,
    version: (computeVersion: number): string => `v${computeVersion}`,
    signed: (entry: LifecycleEntry | undefined, zone: string, none: string): string => (entry === undefined ? none : `${entry.by}, ${localTime(entry.at, zone)}`),
    notReviewed: 'not reviewed',
    notApproved: 'not approved',
    paid: (payment: PaymentEntry): string => `${payment.paidOn}, reference ${payment.reference} (${payment.by})`,
    block: {
      tenant: 'District',
      contract: 'Contract',
      contractor: 'Contractor',
      month: 'Month',
      version: 'Version',
      status: 'Status',
      review: 'Reviewed',
      approval: 'Approved',
      payment: 'Paid',
      net: 'Net payable',
    },
    fields: {
      contractId: 'Contract id',
      serviceType: 'Service type',
      recordVersion: 'Record version',
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
    fileStem: 'statement',
  },
} as const;

/** An instant as the district's clock read it: `2026-12-02 10:15`. */
/**
 * `yyyy-MM-dd HH:mm` in the zone, with Intl rather than luxon: the export worker's bundle
 * (issue 16) has exceljs to carry and no other use for luxon. An unreadable instant or zone
 * shows the instant as stored.
 */
function localTime(instant: string, zone: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  } catch {
    return instant;
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

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

/**
 * The three tables of a statement export, in `lang` (zh-CN by default, issue 7 Exports), with
 * `names` shown instead of ids (each id where its name is missing). Lines are numbered 1… in
 * the statement's order; the sources sheet names each line by that number and label, a segment
 * by its name, a line a derived line is computed from by its number and label.
 */
export function exportTables(subject: StatementExportSubject, lang: ExportLanguage = 'zh', names: ExportNames = {}): ExportTables {
  const w = words[lang];
  const { statement } = subject;
  const totals = statement.totals;
  const zone = names.zone ?? defaultZone;
  const contract = names.contractTitle ?? subject.contractId;
  const contractor = names.contractorName ?? subject.contractorId;
  const label = (line: Statement['lines'][number]): string => (lang === 'zh' ? line.labelZh : line.labelEn);
  // A statement computed before lines had a Chinese formula shows the English one.
  const formula = (line: Statement['lines'][number]): string => (lang === 'zh' ? (line.formulaZh ?? line.formula) : line.formula);
  const numberOf = new Map(statement.lines.map((line, index) => [line.key, index + 1]));

  const heading: ExportCell[][] = [
    [text(w.block.contract), text(contract)],
    [text(w.block.contractor), text(contractor)],
    [text(w.block.month), text(w.month(subject.month))],
    [text(w.block.version), text(w.version(subject.computeVersion))],
    [text(w.block.status), text(w.status[subject.status])],
    [text(w.block.net), money(totals.netFen)],
  ];
  const preamble: ExportCell[][] = [
    [text(w.block.tenant), text(names.tenantName ?? subject.tenantId)],
    ...heading.slice(0, 5),
    [text(w.block.review), text(w.signed(subject.review, zone, w.notReviewed))],
    [text(w.block.approval), text(w.signed(subject.approval, zone, w.notApproved))],
    ...(subject.payment === undefined ? [] : [[text(w.block.payment), text(w.paid(subject.payment))]]),
  ];
  const summaryRows: ExportCell[][] = [
    [text(w.fields.contractId), text(subject.contractId)],
    [text(w.fields.serviceType), text(w.serviceTypes[subject.serviceType])],
    [text(w.fields.recordVersion), { number: subject.version }],
    [text(w.fields.activeDays), text(`${statement.activeDays}/${statement.daysInMonth}`)],
    [text(w.fields.score), text(formatX100(statement.scoreX100))],
    [text(w.fields.coefficient), text(`${formatX100(statement.coefficientBps)}%`)],
    ...(Object.keys(w.totals) as (keyof typeof w.totals)[]).map((field) => [text(w.totals[field]), money(totals[field])]),
  ];
  const lineRows = statement.lines.map((line, index) => [{ number: index + 1 }, text(label(line)), text(formula(line)), money(line.amountFen), text(line.key)]);
  const nameOf = (kind: SourceKind, id: string): string => {
    if (kind === 'segmentIds') return names.segmentNames?.[id] ?? '';
    if (kind === 'lineKeys') {
      const referenced = statement.lines.find((line) => line.key === id);
      return referenced === undefined ? '' : `${numberOf.get(id)} ${label(referenced)}`;
    }
    return '';
  };
  const sourceRows: ExportCell[][] = [];
  statement.lines.forEach((line, index) => {
    for (const kind of sourceKinds) {
      for (const id of line.sources[kind] ?? []) sourceRows.push([{ number: index + 1 }, text(label(line)), text(w.kinds[kind]), text(nameOf(kind, id)), text(id)]);
    }
  });
  const titled = (title: string): string => (lang === 'zh' ? `${title}（${contract}，${w.month(subject.month)}）` : `${title} (${contract}, ${subject.month})`);
  return {
    lang,
    summary: { name: w.sheets.summary, title: w.titles.summary, preamble, headers: w.summaryHeaders, rows: summaryRows },
    lines: {
      name: w.sheets.lines,
      title: titled(w.titles.lines),
      headers: w.linesHeaders,
      rows: lineRows,
      totals: [text(''), text(w.linesTotal), text(''), money(totals.netFen), text('')],
    },
    sources: {
      name: w.sheets.sources,
      title: titled(w.titles.sources),
      headers: w.sourcesHeaders,
      rows: sourceRows,
    },
    heading,
    pageFooter: w.pageFooter,
    protect: subject.status === 'approved' || subject.status === 'paid',
  };
}

/**
 * CSV per RFC 4180 of the statement's lines (issue 15: "the CSV with a header block and the net
 * amount"): the header block (contract, contractor, month, version, status, net amount), an
 * empty line, the lines table, and the net amount as its last row. CRLF line ends; a field
 * quoted only when it holds a quote, comma, CR or LF (quotes doubled); amounts as exact
 * decimal yuan text. Prefixed with a UTF-8 BOM so Excel in a zh-CN locale opens the Chinese
 * text as UTF-8 rather than GBK.
 */
export function statementCsv(tables: ExportTables): string {
  const sheet = tables.lines;
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const cell = (value: ExportCell): string => ('text' in value ? field(value.text) : 'fen' in value ? yuanText(value.fen) : String(value.number));
  const row = (cells: readonly ExportCell[]): string => cells.map(cell).join(',');
  const lines = [
    ...tables.heading.map(row),
    '',
    sheet.headers.map(field).join(','),
    ...sheet.rows.map(row),
    ...(sheet.totals === undefined ? [] : [row(sheet.totals)]),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Where an export lives in the exports bucket (issue 7: under `exports/`), one object per computation and language. */
export function exportKey(subject: Pick<StatementExportSubject, 'tenantId' | 'contractId' | 'month' | 'computeVersion'>, lang: ExportLanguage, format: ExportFormat): string {
  return `exports/${subject.tenantId}/${subject.contractId}/${subject.month}/${subject.computeVersion}-${lang}.${format}`;
}

/** A download's file name: as people read it, and an ASCII fallback for old clients. */
export interface ExportFileName {
  /** e.g. 结算单_南京西路街道道路保洁服务合同_2026-11_zh.xlsx. */
  readonly name: string;
  /** e.g. statement_con_01jnq…_2026-11_zh.xlsx: ASCII only. */
  readonly asciiName: string;
}

/** The most code points of the contract part of a file name: names stay short enough for every file system (255 bytes) and a header. */
export const maxFileNameTitle = 60;

/**
 * The file name of an export: `结算单_<合同名或编号>_<YYYY-MM>_<lang>.<ext>` (`statement_…` in
 * English; issue 15). Sanitised so it is safe as a Content-Disposition filename (filename* of
 * RFC 5987 carries it, the ASCII fallback goes in filename="…") and as the last part of an S3
 * key: no path separators, quotes, control characters or characters Windows refuses
 * (\ / : * ? " < > |), runs of spaces and underscores collapsed to one `_`, no leading dot,
 * the title cut to `maxFileNameTitle` code points.
 */
export function exportFileName(subject: Pick<StatementExportSubject, 'contractId' | 'month'>, names: Pick<ExportNames, 'contractTitle'>, lang: ExportLanguage, format: ExportFormat): ExportFileName {
  const stem = words[lang].fileStem;
  const title = safeFileNamePart(names.contractTitle ?? '') || safeFileNamePart(subject.contractId) || 'contract';
  const ascii = safeFileNamePart(subject.contractId).replace(/[^\x20-\x7e]/gu, '') || 'contract';
  return { name: `${stem}_${title}_${subject.month}_${lang}.${format}`, asciiName: `statement_${ascii}_${subject.month}_${lang}.${format}` };
}

function safeFileNamePart(value: string): string {
  const cleaned = value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\/:*?"<>|%;,]/gu, ' ')
    .replace(/[\s_]+/gu, '_')
    .replace(/^[._]+|[._]+$/gu, '');
  return [...cleaned].slice(0, maxFileNameTitle).join('').replace(/[._]+$/u, '');
}
