import { GetObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor } from '../helpers/api';
import { localS3, localStack } from '../helpers/local-stack';
import { closedMonth, closeHandler, paymentsDistrict, type PaymentsDistrict } from './payments-fixture';

/**
 * Statement exports on the local stack (issue 7 Exports): the month is closed by the close
 * handler, then finance exports; the object lands in the exports bucket (s3rver) and the
 * presigned link downloads it.
 */

interface ExportLink {
  readonly key: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly fileName: string;
}

describe('statement exports on the local stack', () => {
  let d: PaymentsDistrict;
  let finance: string;
  const path = (contractId: string): string => `/v1/contracts/${contractId}/statements/${closedMonth}/exports`;

  beforeAll(async () => {
    d = await paymentsDistrict('exports');
    finance = await tokenFor('finance', { tenantId: d.tenantId });
    await closeHandler()({ month: closedMonth, tenants: [d.tenantId] });
  });

  it('stores the XLSX under exports/ and the five-minute link downloads it in zh-CN, with names and its file name', async () => {
    // Prepare
    const contract = d.contracts[0]!;

    // Act
    const created = await api.request<ExportLink>('POST', path(contract.contractId), { token: finance, body: {} });
    const download = await fetch(created.json.url);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await download.arrayBuffer());

    // Assess
    expect(created.status, created.text).toBe(201);
    expect(created.json.key).toBe(`exports/${d.tenantId}/${contract.contractId}/${closedMonth}/1-zh.xlsx`);
    expect(new Date(created.json.expiresAt).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(download.status).toBe(200);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细', '来源']);
    expect(workbook.getWorksheet('明细')?.getRow(2).values).toEqual([undefined, '序号', '项目', '计算公式', '金额(元)', '行标识']);
    expect(String(workbook.getWorksheet('明细')?.getRow(3).getCell(3).value)).toMatch(/^基本价 ¥3\d,\d{3}\.\d{2}\/月 × 履约天数 /);
    const summary = workbook.getWorksheet('汇总')!;
    expect([2, 3, 4].map((row) => summary.getRow(row).values)).toEqual([
      [undefined, '单位', 'exports 区'],
      [undefined, '合同', contract.title],
      [undefined, '承包单位', '上海洁城环境服务有限公司'],
    ]);
    expect(workbook.worksheets.map((sheet) => [sheet.pageSetup.paperSize, sheet.pageSetup.orientation, sheet.pageSetup.fitToWidth])).toEqual([
      [9, 'landscape', 1],
      [9, 'landscape', 1],
      [9, 'landscape', 1],
    ]);
    const fileName = `结算单_${contract.title}_${closedMonth}_zh.xlsx`;
    expect(created.json.fileName).toBe(fileName);
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(fileName)}`);
    const stored = await localS3().send(new GetObjectCommand({ Bucket: localStack().buckets.exports, Key: created.json.key }));
    expect(stored.ContentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(stored.ContentDisposition).toContain(`filename*=UTF-8''${encodeURIComponent(fileName)}`);
  });

  it('writes the CSV of the lines in English on request: a BOM, the header block, the lines, the net amount', async () => {
    // Act
    const contract = d.contracts[1]!;
    const created = await api.request<ExportLink>('POST', path(contract.contractId), { token: finance, body: { format: 'csv', lang: 'en' } });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await fetch(created.json.url)).arrayBuffer());

    // Assess
    expect(created.status, created.text).toBe(201);
    expect(created.json.key.endsWith('/1-en.csv')).toBe(true);
    expect(created.json.fileName).toBe(`statement_${contract.title}_${closedMonth}_en.csv`);
    expect(text.startsWith(`\uFEFFContract,${contract.title}\r\nContractor,上海清源保洁有限公司\r\nMonth,${closedMonth}\r\nVersion,v1\r\nStatus,draft\r\nNet payable,`)).toBe(true);
    expect(text).toContain('\r\n\r\nNo.,Item,Formula,Amount (CNY),Line key\r\n');
    expect(text).toMatch(/\r\n1,Base fee,.*,3\d{4}\.\d{2},base\/\S+\r\n/);
    const net = /Net payable,(-?\d+\.\d{2})\r\n/.exec(text)?.[1];
    expect(text.endsWith(`\r\n,Total (net payable),,${net},\r\n`)).toBe(true);
  });

  it('refuses other roles and a month without a statement', async () => {
    // Act
    const contractor = await api.request('POST', path(d.contracts[0]!.contractId), { token: await tokenFor('contractor', { tenantId: d.tenantId, contractorId: d.contractorIds[0]! }), body: {} });
    const missing = await api.request('POST', `/v1/contracts/${d.contracts[0]!.contractId}/statements/2020-01/exports`, { token: finance, body: {} });
    const badFormat = await api.request('POST', path(d.contracts[0]!.contractId), { token: finance, body: { format: 'pdf' } });

    // Assess
    expect(contractor.status).toBe(403);
    expect(missing.status).toBe(404);
    expect(badFormat.status).toBe(400);
  });
});
