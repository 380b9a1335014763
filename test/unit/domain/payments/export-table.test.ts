import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportFileName, exportKey, exportTables, maxCellFen, statementCsv, yuanNumber, yuanText, type ExportTables } from '../../../../domain/payments/export-table';
import { seg } from './fixtures';
import { exportNames, exportSubject } from './export-fixtures';

const texts = (rows: ExportTables['summary']['rows']): string[][] => rows.map((row) => row.map((cell) => ('text' in cell ? cell.text : 'fen' in cell ? `fen:${cell.fen}` : `n:${cell.number}`)));

const baseZh = '基本价 ¥23,456.78/月 × 履约天数 30/30（2025-06-01 至 2025-06-30，合同条款第 1 版） = ¥23,456.78';

describe('exportTables', () => {
  it('heads the sheets in zh-CN by default and in English on request', () => {
    // Arrange
    const subject = exportSubject();

    // Act
    const zh = exportTables(subject);
    const en = exportTables(subject, 'en');

    // Assert
    expect([zh.summary.name, zh.lines.name, zh.sources.name]).toEqual(['汇总', '明细', '来源']);
    expect(zh.lines.headers).toEqual(['序号', '项目', '计算公式', '金额(元)', '行标识']);
    expect(zh.sources.headers).toEqual(['序号', '项目', '来源类型', '名称', '编号']);
    expect([en.summary.name, en.lines.name, en.sources.name]).toEqual(['Summary', 'Lines', 'Sources']);
    expect(en.lines.headers).toEqual(['No.', 'Item', 'Formula', 'Amount (CNY)', 'Line key']);
    expect(zh.lines.rows[0]).toEqual([{ number: 1 }, { text: '基本服务费' }, { text: baseZh }, { fen: 2_345_678 }, { text: 'base/2025-06-01..2025-06-30' }]);
    expect(en.lines.rows[0]?.[2]).toEqual({ text: '¥23,456.78 per month × 30 / 30 days (2025-06-01 – 2025-06-30, terms v1) = ¥23,456.78' });
  });

  it('opens the summary with the header block: district, contract, contractor, month, version, status, who reviewed and approved when', () => {
    // Act
    const tables = exportTables(exportSubject('approved'), 'zh', exportNames);

    // Assert: instants in the district's zone (UTC+8).
    expect(tables.summary.title).toBe('结算单');
    expect(texts(tables.summary.preamble ?? [])).toEqual([
      ['单位', '黄浦区'],
      ['合同', '南京东路街道道路保洁服务合同'],
      ['承包单位', '上海某某环境服务有限公司'],
      ['月份', '2025年06月'],
      ['版本', '第 2 版'],
      ['状态', '已批准'],
      ['审核', 'usr_fin_li，2025-07-01 09:30'],
      ['批准', 'usr_fin_zhao，2025-07-02 16:05'],
    ]);
  });

  it('says who has not yet reviewed or approved, and adds the payment once paid', () => {
    const draft = texts(exportTables(exportSubject('draft'), 'zh', exportNames).summary.preamble ?? []);
    const paid = texts(exportTables(exportSubject('paid'), 'en', exportNames).summary.preamble ?? []);

    expect(draft.slice(-2)).toEqual([
      ['审核', '未审核'],
      ['批准', '未批准'],
    ]);
    expect(paid.slice(-3)).toEqual([
      ['Reviewed', 'usr_fin_li, 2025-07-01 09:30'],
      ['Approved', 'usr_fin_zhao, 2025-07-02 16:05'],
      ['Paid', '2025-07-10, reference HP-2025-0711 (usr_fin_li)'],
    ]);
  });

  it('shows ids where a name was not found', () => {
    const block = texts(exportTables(exportSubject(), 'zh', {}).summary.preamble ?? []);

    expect(block.slice(0, 3)).toEqual([
      ['单位', 'huangpu'],
      ['合同', 'con_01JNQ0000000000000000000A1'],
      ['承包单位', 'ctr_k2m7q4x9b3n8p5rt'],
    ]);
  });

  it('closes the lines with the net amount as their total row', () => {
    const subject = exportSubject();

    const tables = exportTables(subject, 'zh', exportNames);

    expect(tables.lines.totals).toEqual([{ text: '' }, { text: '合计（应付金额）' }, { text: '' }, { fen: subject.statement.totals.netFen }, { text: '' }]);
    expect(tables.lines.totals?.[3]).toEqual({ fen: subject.statement.lines.reduce((sum, line) => sum + line.amountFen, 0) });
    expect(tables.lines.title).toBe('结算单明细（南京东路街道道路保洁服务合同，2025年06月）');
  });

  it('keeps every line with its amount in fen and lists each source under its line, segments and lines by name', () => {
    // Arrange: base 2 345 678 (a full month); fines −10 000 and −20 000.
    const subject = exportSubject();

    // Act
    const tables = exportTables(subject, 'zh', exportNames);

    // Assert
    expect(tables.lines.rows).toHaveLength(subject.statement.lines.length);
    const amounts = tables.lines.rows.map((row) => row[3]);
    expect(amounts).toContainEqual({ fen: 2_345_678 });
    expect(amounts).toContainEqual({ fen: -10_000 });
    const sources = texts(tables.sources.rows);
    expect(sources).toContainEqual(['n:1', '基本服务费', '作业路段', '南京东路(河南中路—西藏中路)', seg.a]);
    expect(sources).toContainEqual(['n:4', '漏作业罚款', '作业任务', '', 'tsk_1']);
    expect(sources).toContainEqual(['n:2', '考核奖励', '所依据的明细', '1 基本服务费', 'base/2025-06-01..2025-06-30']);
    expect(texts(tables.summary.rows)).toContainEqual(['应付金额', `fen:${subject.statement.totals.netFen}`]);
    expect(texts(tables.summary.rows)).toContainEqual(['服务类型', '环卫保洁']);
  });

  it('shows the English formula in zh for a line stored before lines had a Chinese one', () => {
    // Prepare
    const subject = exportSubject();
    const stored = { ...subject, statement: { ...subject.statement, lines: subject.statement.lines.map(({ formulaZh: _zh, ...line }) => line) } };

    // Act
    const tables = exportTables(stored, 'zh');

    // Assert
    expect(tables.lines.rows[0]?.[2]).toEqual({ text: '¥23,456.78 per month × 30 / 30 days (2025-06-01 – 2025-06-30, terms v1) = ¥23,456.78' });
  });

  it('protects approved and paid statements only', () => {
    expect(exportTables(exportSubject('draft')).protect).toBe(false);
    expect(exportTables(exportSubject('reviewed')).protect).toBe(false);
    expect(exportTables(exportSubject('approved')).protect).toBe(true);
    expect(exportTables(exportSubject('paid')).protect).toBe(true);
  });
});

describe('yuan renderings', () => {
  it('refuses an amount a cell cannot hold exactly', () => {
    expect(() => yuanNumber(maxCellFen + 1)).toThrow(RangeError);
  });

  it('writes fen as exact decimal text', () => {
    expect(yuanText(2_345_678)).toBe('23456.78');
    expect(yuanText(-5)).toBe('-0.05');
    expect(yuanText(0)).toBe('0.00');
  });

  it('gives back every fen amount from the yuan number of a cell (fen / 100 is the nearest double)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -maxCellFen, max: maxCellFen }), (amountFen) => {
        const cell = yuanNumber(amountFen);
        expect(Math.round(cell * 100)).toBe(amountFen);
        // The two-decimal rendering of the double is the exact decimal text.
        expect(cell.toFixed(2)).toBe(yuanText(amountFen));
      }),
    );
  });
});

describe('statementCsv', () => {
  it('writes RFC 4180 with a UTF-8 BOM, CRLF, quoted fields where needed and exact amounts', () => {
    // Arrange
    const sheet = { name: 'x', headers: ['行', 'a,b'], rows: [[{ text: 'say "hi"' }, { fen: -123_456 }], [{ text: 'line\nbreak' }, { fen: 7 }]] };
    const tables: ExportTables = { lang: 'zh', summary: sheet, lines: sheet, sources: sheet, heading: [[{ text: '合同' }, { text: 'A,B' }]], pageFooter: '', protect: false };

    // Act
    const csv = statementCsv(tables);

    // Assert
    expect(csv).toBe('\uFEFF合同,"A,B"\r\n\r\n行,"a,b"\r\n"say ""hi""",-1234.56\r\n"line\nbreak",0.07\r\n');
  });

  it('opens with the header block, then one record per line, then the net amount', () => {
    // Arrange
    const subject = exportSubject('approved');
    const net = yuanText(subject.statement.totals.netFen);

    // Act
    const records = statementCsv(exportTables(subject, 'zh', exportNames)).split('\r\n');

    // Assert
    expect(records.slice(0, 8)).toEqual([
      '\uFEFF合同,南京东路街道道路保洁服务合同',
      '承包单位,上海某某环境服务有限公司',
      '月份,2025年06月',
      '版本,第 2 版',
      '状态,已批准',
      `应付金额,${net}`,
      '',
      '序号,项目,计算公式,金额(元),行标识',
    ]);
    expect(records[8]).toBe(`1,基本服务费,"${baseZh}",23456.78,base/2025-06-01..2025-06-30`);
    expect(records).toHaveLength(8 + subject.statement.lines.length + 2);
    expect(records.at(-2)).toBe(`,合计（应付金额）,,${net},`);
    expect(records.at(-1)).toBe('');
  });

  it('is English with lang en', () => {
    const csv = statementCsv(exportTables(exportSubject(), 'en', exportNames));

    expect(csv.startsWith('\uFEFFContract,南京东路街道道路保洁服务合同\r\nContractor,')).toBe(true);
    expect(csv).toContain('\r\nNo.,Item,Formula,Amount (CNY),Line key\r\n');
    expect(csv).toContain('\r\n,Total (net payable),,');
  });
});

describe('exportKey', () => {
  it('places the export under exports/{tenant}/{contract}/{month}/{computeVersion}-{lang}.{ext}', () => {
    expect(exportKey(exportSubject(), 'zh', 'xlsx')).toBe('exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx');
  });
});

describe('exportFileName', () => {
  it('names the file by contract title, month and language', () => {
    expect(exportFileName(exportSubject(), exportNames, 'zh', 'xlsx')).toEqual({
      name: '结算单_南京东路街道道路保洁服务合同_2025-06_zh.xlsx',
      asciiName: 'statement_con_01JNQ0000000000000000000A1_2025-06_zh.xlsx',
    });
    expect(exportFileName(exportSubject(), exportNames, 'en', 'csv').name).toBe('statement_南京东路街道道路保洁服务合同_2025-06_en.csv');
  });

  it('uses the contract id without a title', () => {
    expect(exportFileName(exportSubject(), {}, 'zh', 'csv').name).toBe('结算单_con_01JNQ0000000000000000000A1_2025-06_zh.csv');
  });

  it('takes out what a header, a path or a file system would choke on', () => {
    // Act
    const { name } = exportFileName(exportSubject(), { contractTitle: ' ../a/b\\c:"d"*?<e>|f;g,h%\r\n\u202Ei  j__k. ' }, 'zh', 'xlsx');

    // Assert
    expect(name).toBe('结算单_a_b_c_d_e_f_g_h_i_j_k_2025-06_zh.xlsx');
  });

  it('cuts a long title to 60 characters', () => {
    const { name } = exportFileName(exportSubject(), { contractTitle: '长'.repeat(200) }, 'zh', 'xlsx');

    expect(name).toBe(`结算单_${'长'.repeat(60)}_2025-06_zh.xlsx`);
  });
});
