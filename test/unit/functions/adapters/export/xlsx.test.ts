import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportTables } from '../../../../../domain/payments/export-table';
import { xlsxOf } from '../../../../../functions/adapters/export/xlsx';
import { exportSubject } from '../../../domain/payments/export-fixtures';

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

describe('xlsxOf', () => {
  it('writes the summary, lines and sources sheets with zh-CN headers', async () => {
    // Arrange
    const tables = exportTables(exportSubject());

    // Act
    const workbook = await readBack(await xlsxOf(tables));

    // Assert
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细', '来源']);
    expect(workbook.getWorksheet('明细')?.getRow(1).values).toEqual([undefined, '行', '编号', '项目', '计算公式', '金额(元)']);
    expect(workbook.getWorksheet('来源')?.getRow(1).values).toEqual([undefined, '行', '来源类型', '来源编号']);
  });

  it('stores amounts as yuan numbers formatted ¥ with two decimals', async () => {
    // Arrange: the base line is 2 345 678 fen = ¥23,456.78.
    const tables = exportTables(exportSubject(), 'en');

    // Act
    const sheet = (await readBack(await xlsxOf(tables))).getWorksheet('Lines');

    // Assert
    const rows = (sheet?.getRows(2, tables.lines.rows.length) ?? []).map((row) => ({ code: row.getCell(2).value, amount: row.getCell(5).value, format: row.getCell(5).numFmt }));
    expect(rows).toContainEqual({ code: 'base', amount: 23_456.78, format: '"¥"#,##0.00' });
    expect(rows).toContainEqual({ code: 'fines_findings', amount: -200, format: '"¥"#,##0.00' });
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
