import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvOf, exportKey, exportTables, maxCellFen, yuanNumber, yuanText } from '../../../../domain/payments/export-table';
import { exportSubject } from './export-fixtures';

describe('exportTables', () => {
  it('heads the sheets in zh-CN by default and in English on request', () => {
    // Arrange
    const subject = exportSubject();

    // Act
    const zh = exportTables(subject);
    const en = exportTables(subject, 'en');

    // Assert
    expect([zh.summary.name, zh.lines.name, zh.sources.name]).toEqual(['汇总', '明细', '来源']);
    expect(zh.lines.headers).toEqual(['行', '编号', '项目', '计算公式', '金额(元)']);
    expect([en.summary.name, en.lines.name, en.sources.name]).toEqual(['Summary', 'Lines', 'Sources']);
    expect(en.lines.headers).toEqual(['Line', 'Code', 'Label', 'Formula', 'Amount (CNY)']);
    expect(zh.lines.rows.find((row) => 'text' in row[1]! && row[1].text === 'base')?.[2]).toEqual({ text: '基本服务费' });
  });

  it('keeps every line with its amount in fen and lists each source under its line', () => {
    // Arrange: base 2 345 678 (a full month); fines −10 000 and −20 000.
    const subject = exportSubject();

    // Act
    const tables = exportTables(subject, 'en');

    // Assert
    expect(tables.lines.rows).toHaveLength(subject.statement.lines.length);
    const amounts = tables.lines.rows.map((row) => row[4]);
    expect(amounts).toContainEqual({ fen: 2_345_678 });
    expect(amounts).toContainEqual({ fen: -10_000 });
    expect(tables.sources.rows).toContainEqual([{ text: 'fines_missed_tasks' }, { text: 'task' }, { text: 'tsk_1' }]);
    expect(tables.sources.rows).toContainEqual([{ text: 'fines_findings' }, { text: 'rulebook item' }, { text: 'CL-PILE-M' }]);
    expect(tables.summary.rows).toContainEqual([{ text: 'Net payable' }, { fen: subject.statement.totals.netFen }]);
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

describe('csvOf', () => {
  it('writes RFC 4180 with a UTF-8 BOM, CRLF, quoted fields where needed and exact amounts', () => {
    // Arrange
    const sheet = { name: 'x', headers: ['行', 'a,b'], rows: [[{ text: 'say "hi"' }, { fen: -123_456 }], [{ text: 'line\nbreak' }, { fen: 7 }]] };

    // Act
    const csv = csvOf(sheet);

    // Assert
    expect(csv).toBe('\uFEFF行,"a,b"\r\n"say ""hi""",-1234.56\r\n"line\nbreak",0.07\r\n');
  });

  it('has one record per statement line after the header', () => {
    const subject = exportSubject();
    const csv = csvOf(exportTables(subject).lines);
    expect(csv.startsWith('\uFEFF行,编号,项目,计算公式,金额(元)\r\n')).toBe(true);
    expect(csv).toContain(',base,基本服务费,');
    expect(csv).toContain(',23456.78\r\n');
  });
});

describe('exportKey', () => {
  it('places the export under exports/{tenant}/{contract}/{month}/{computeVersion}-{lang}.{ext}', () => {
    expect(exportKey(exportSubject(), 'zh', 'xlsx')).toBe('exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx');
  });
});
