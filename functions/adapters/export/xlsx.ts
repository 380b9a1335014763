import ExcelJS from 'exceljs';
import { yuanNumber, yuanNumberFormat, type ExportSheet, type ExportTables } from '../../../domain/payments/export-table';

/**
 * Lays the export tables (domain/payments/export-table.ts) out as an XLSX workbook with
 * exceljs: one sheet per table, a bold frozen header row, amounts as numbers in yuan with the
 * `"¥"#,##0.00` format (so Excel sums them), and sheet protection on approved and paid
 * statements (issue 7 Exports). The protection has no password: it stops accidental edits of
 * an immutable statement; the stored record, not the file, is what is authoritative.
 */
export async function xlsxOf(tables: ExportTables): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'xiuhua';
  for (const sheet of [tables.summary, tables.lines, tables.sources]) await addSheet(workbook, sheet, tables.protect);
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

async function addSheet(workbook: ExcelJS.Workbook, table: ExportSheet, protect: boolean): Promise<void> {
  const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow([...table.headers]);
  header.font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((cell) => ('text' in cell ? cell.text : 'fen' in cell ? yuanNumber(cell.fen) : cell.number)));
    row.forEach((cell, index) => {
      if ('fen' in cell) added.getCell(index + 1).numFmt = yuanNumberFormat;
    });
  }
  table.headers.forEach((title, index) => {
    const longest = Math.max(title.length * 2, ...table.rows.map((row) => cellWidth(row[index])));
    sheet.getColumn(index + 1).width = Math.min(80, Math.max(10, longest + 2));
  });
  if (protect) await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true });
}

function cellWidth(cell: ExportSheet['rows'][number][number] | undefined): number {
  if (cell === undefined) return 0;
  if ('text' in cell) return cell.text.length;
  return 16;
}
