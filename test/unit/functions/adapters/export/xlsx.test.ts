import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportTables } from '../../../../../domain/payments/export-table';
import { xlsxOf } from '../../../../../functions/adapters/export/xlsx';
import { exportNames, exportSubject } from '../../../domain/payments/export-fixtures';

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

const values = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);

/** The first row whose first cell is `text` (the header row sits under the title and the block). */
function rowStarting(sheet: ExcelJS.Worksheet | undefined, text: string): ExcelJS.Row | undefined {
  let found: ExcelJS.Row | undefined;
  sheet?.eachRow((row) => {
    if (found === undefined && row.getCell(1).value === text) found = row;
  });
  return found;
}

describe('xlsxOf', () => {
  it('writes the summary, lines and sources sheets with zh-CN titles and headers', async () => {
    // Arrange
    const tables = exportTables(exportSubject(), 'zh', exportNames);

    // Act
    const workbook = await readBack(await xlsxOf(tables));

    // Assert
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细', '来源']);
    const lines = workbook.getWorksheet('明细');
    expect(lines?.getCell('A1').value).toBe('结算单明细（南京东路街道道路保洁服务合同，2025年06月）');
    expect(values(lines!.getRow(2))).toEqual(['序号', '项目', '计算公式', '金额(元)', '行标识']);
    expect(values(workbook.getWorksheet('来源')!.getRow(2))).toEqual(['序号', '项目', '来源类型', '名称', '编号']);
    expect(lines?.getRow(3).getCell(3).value).toBe('基本价 ¥23,456.78/月 × 履约天数 30/30（2025-06-01 至 2025-06-30，合同条款第 1 版） = ¥23,456.78');
  });

  it('heads the summary with the district, contract and contractor names and who reviewed and approved', async () => {
    // Act
    const sheet = (await readBack(await xlsxOf(exportTables(exportSubject('approved'), 'zh', exportNames)))).getWorksheet('汇总');

    // Assert
    expect(sheet?.getCell('A1').value).toBe('结算单');
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((row) => values(sheet!.getRow(row)))).toEqual([
      ['单位', '黄浦区'],
      ['合同', '南京东路街道道路保洁服务合同'],
      ['承包单位', '上海某某环境服务有限公司'],
      ['月份', '2025年06月'],
      ['版本', '第 2 版'],
      ['状态', '已批准'],
      ['审核', 'usr_fin_li，2025-07-01 09:30'],
      ['批准', 'usr_fin_zhao，2025-07-02 16:05'],
    ]);
    expect(values(sheet!.getRow(11))).toEqual(['项目', '值']);
  });

  it('totals the lines sheet with the net amount', async () => {
    // Arrange
    const subject = exportSubject();

    // Act
    const sheet = (await readBack(await xlsxOf(exportTables(subject, 'zh', exportNames)))).getWorksheet('明细');

    // Assert: title, header, the lines, then the total.
    const total = sheet!.getRow(2 + subject.statement.lines.length + 1);
    expect(total.getCell(2).value).toBe('合计（应付金额）');
    expect(total.getCell(4).value).toBe(subject.statement.totals.netFen / 100);
    expect(total.getCell(4).numFmt).toBe('"¥"#,##0.00');
    expect(total.getCell(2).font?.bold).toBe(true);
  });

  it('sets every sheet to print on A4 landscape, one page wide, its header row repeated', async () => {
    // Act
    const workbook = await readBack(await xlsxOf(exportTables(exportSubject('approved'), 'zh', exportNames)));

    // Assert: the summary's table header is row 11 (title, 8 block rows, a gap).
    const setups = workbook.worksheets.map((sheet) => {
      const { paperSize, orientation, fitToPage, fitToWidth, fitToHeight, printTitlesRow, margins } = sheet.pageSetup;
      return { paperSize, orientation, fitToPage, fitToWidth, fitToHeight, printTitlesRow, left: margins?.left, top: margins?.top };
    });
    const common = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, left: 0.5, top: 0.6 };
    expect(setups).toEqual([
      { ...common, printTitlesRow: '11:11' },
      { ...common, printTitlesRow: '2:2' },
      { ...common, printTitlesRow: '2:2' },
    ]);
    expect(workbook.worksheets.map((sheet) => sheet.headerFooter.oddFooter)).toEqual(['&C第 &P 页，共 &N 页', '&C第 &P 页，共 &N 页', '&C第 &P 页，共 &N 页']);
  });

  it('stores amounts as yuan numbers formatted ¥ with two decimals', async () => {
    // Arrange: the base line is 2 345 678 fen = ¥23,456.78.
    const tables = exportTables(exportSubject(), 'en');

    // Act
    const sheet = (await readBack(await xlsxOf(tables))).getWorksheet('Lines');

    // Assert
    expect(values(rowStarting(sheet, 'No.')!)).toEqual(['No.', 'Item', 'Formula', 'Amount (CNY)', 'Line key']);
    const rows = (sheet?.getRows(3, tables.lines.rows.length) ?? []).map((row) => ({ key: row.getCell(5).value, amount: row.getCell(4).value, format: row.getCell(4).numFmt }));
    expect(rows).toContainEqual({ key: 'base/2025-06-01..2025-06-30', amount: 23_456.78, format: '"¥"#,##0.00' });
    expect(rows).toContainEqual({ key: 'fines_findings', amount: -200, format: '"¥"#,##0.00' });
  });

  it('protects every sheet of an approved statement and none of a draft', async () => {
    // Act
    const approved = await readBack(await xlsxOf(exportTables(exportSubject('approved'))));
    const draft = await readBack(await xlsxOf(exportTables(exportSubject('draft'))));

    // Assert
    expect(approved.worksheets.map((sheet) => (sheet as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet)).toEqual([true, true, true]);
    expect(draft.worksheets.map((sheet) => (sheet as unknown as { sheetProtection?: unknown }).sheetProtection ?? null)).toEqual([null, null, null]);
  });
});
