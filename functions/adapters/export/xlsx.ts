import ExcelJS from 'exceljs';
import { yuanNumber, yuanNumberFormat, type ExportCell, type ExportSheet, type ExportTables } from '../../../domain/payments/export-table';

/**
 * Lays the export tables (domain/payments/export-table.ts) out as an XLSX workbook with
 * exceljs: one sheet per table — its title, its header block (the summary's 单位 … 批准), the
 * table under a bold frozen header row, its total row — amounts as numbers in yuan with the
 * `"¥"#,##0.00` format (so Excel sums them), and sheet protection on approved and paid
 * statements (issue 7 Exports). The protection has no password: it stops accidental edits of
 * an immutable statement; the stored record, not the file, is what is authoritative.
 *
 * Every sheet prints as a finance office files it (issue 15): A4 landscape, fitted to one page
 * wide (as many pages tall as it takes), the table's header row repeated on every page, page x
 * of n in the footer.
 */
export async function xlsxOf(tables: ExportTables): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'xiuhua';
  for (const sheet of [tables.summary, tables.lines, tables.sources]) await addSheet(workbook, sheet, tables);
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/** ECMA-376 paper size 9: A4. */
export const a4PaperSize = 9;

/** Inches (Excel's unit): narrow enough for a landscape A4 of lines, wide enough for a binder's holes. */
export const printMargins = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } as const;

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF808080' } };
const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };

async function addSheet(workbook: ExcelJS.Workbook, table: ExportSheet, tables: ExportTables): Promise<void> {
  const columns = table.headers.length;
  const titleRows = table.title === undefined ? 0 : 1;
  const preambleRows = table.preamble === undefined || table.preamble.length === 0 ? 0 : table.preamble.length + 1;
  const headerRowNumber = titleRows + preambleRows + 1;
  const sheet = workbook.addWorksheet(table.name, {
    views: [{ state: 'frozen', ySplit: headerRowNumber }],
    pageSetup: {
      paperSize: a4PaperSize,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { ...printMargins },
      printTitlesRow: `${headerRowNumber}:${headerRowNumber}`,
    },
    headerFooter: { oddFooter: tables.pageFooter },
  });

  if (table.title !== undefined) {
    const title = sheet.addRow([table.title]);
    title.font = { bold: true, size: 14 };
    title.alignment = { horizontal: 'center' };
    sheet.mergeCells(title.number, 1, title.number, columns);
  }
  if (preambleRows > 0) {
    for (const cells of table.preamble ?? []) {
      const row = addCells(sheet, cells);
      row.getCell(1).font = { bold: true };
    }
    sheet.addRow([]);
  }

  const header = sheet.addRow([...table.headers]);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = headerFill;
    cell.border = { top: thin, bottom: thin, left: thin, right: thin };
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  for (const cells of table.rows) {
    const row = addCells(sheet, cells);
    for (let column = 1; column <= columns; column += 1) {
      const cell = row.getCell(column);
      cell.border = { top: thin, bottom: thin, left: thin, right: thin };
      cell.alignment = { vertical: 'top', wrapText: true };
    }
  }
  if (table.totals !== undefined) {
    const row = addCells(sheet, table.totals);
    row.font = { bold: true };
    for (let column = 1; column <= columns; column += 1) row.getCell(column).border = { top: { style: 'double' }, bottom: thin };
  }

  const widthRows = [...table.rows, ...(table.preamble ?? []), ...(table.totals === undefined ? [] : [table.totals])];
  table.headers.forEach((title, index) => {
    const longest = Math.max(displayWidth(title), ...widthRows.map((row) => cellWidth(row[index])));
    sheet.getColumn(index + 1).width = Math.min(70, Math.max(8, longest + 2));
  });
  if (tables.protect) await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true });
}

function addCells(sheet: ExcelJS.Worksheet, cells: readonly ExportCell[]): ExcelJS.Row {
  const row = sheet.addRow(cells.map((cell) => ('text' in cell ? cell.text : 'fen' in cell ? yuanNumber(cell.fen) : cell.number)));
  cells.forEach((cell, index) => {
    if ('fen' in cell) row.getCell(index + 1).numFmt = yuanNumberFormat;
  });
  return row;
}

function cellWidth(cell: ExportCell | undefined): number {
  if (cell === undefined) return 0;
  if ('text' in cell) return displayWidth(cell.text);
  if ('number' in cell) return String(cell.number).length;
  return 16;
}

/** Columns a text takes in Excel's default font: a CJK character (or full-width form) two, others one. */
function displayWidth(value: string): number {
  let width = 0;
  for (const character of value) width += /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(character) ? 2 : 1;
  return width;
}
