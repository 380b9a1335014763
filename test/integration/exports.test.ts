import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor } from '../helpers/api';
import { localDynamo, localS3, localStack } from '../helpers/local-stack';
import { DynamoExportJobStore } from '../../functions/adapters/dynamodb/export-job-store';
import { exportJobKey, type ExportJob } from '../../domain/payments/export-jobs';
import { closedMonth, closeHandler, paymentsDistrict, type PaymentsDistrict } from './payments-fixture';

/**
 * Statement exports on the local stack (issue 7 Exports; issue 16: an export is a job). The
 * month is closed by the close handler, then finance requests an export: 202 with the job, and
 * the export worker, run by the run's stack for s3rver's notification of the job object
 * (test/helpers/global-setup.ts, as `npm start` does), writes the file; the job's GET answers
 * its file name and a presigned link, which downloads it.
 */

interface JobAccepted {
  readonly jobId: string;
  readonly status: 'queued';
  readonly statusUrl: string;
}

interface JobView {
  readonly jobId: string;
  readonly status: 'queued' | 'running' | 'ready' | 'failed';
  readonly format: string;
  readonly lang: string;
  readonly computeVersion: number;
  readonly requestedAt: string;
  readonly fileName?: string;
  readonly bytes?: number;
  readonly url?: string;
  readonly expiresAt?: string;
  readonly reason?: string;
}

/** Polls a job until it is ready or failed (the worker runs in the stack's process). */
async function settled(statusUrl: string, token: string, headers: Record<string, string> = {}): Promise<JobView> {
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    const read = await api.request<JobView>('GET', statusUrl, { token, headers });
    expect(read.status, read.text).toBe(200);
    if (read.json.status === 'ready' || read.json.status === 'failed') return read.json;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`export job ${statusUrl} still not finished after 30 s`);
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

  it('queues the XLSX (202, Location), the worker writes it under exports/, and the ready job links to it in zh-CN, with names and its file name', async () => {
    // Prepare
    const contract = d.contracts[0]!;

    // Act
    const accepted = await api.request<JobAccepted>('POST', path(contract.contractId), { token: finance, body: {} });
    const job = await settled(accepted.json.statusUrl, finance);
    const download = await fetch(job.url!);
    const bytes = new Uint8Array(await download.arrayBuffer());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.buffer);

    // Assess
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.json).toEqual({ jobId: expect.stringMatching(/^exj_[0-9a-z]{26}$/), status: 'queued', statusUrl: `${path(contract.contractId)}/${accepted.json.jobId}` });
    expect(accepted.headers['location']).toBe(accepted.json.statusUrl);
    expect(job).toMatchObject({ jobId: accepted.json.jobId, status: 'ready', format: 'xlsx', lang: 'zh', computeVersion: 1, bytes: bytes.byteLength });
    expect(Buffer.from(bytes.subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(new Date(job.expiresAt!).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
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
    expect(job.fileName).toBe(fileName);
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(fileName)}`);
    const key = `exports/${d.tenantId}/${contract.contractId}/${closedMonth}/1-zh.xlsx`;
    const stored = await localS3().send(new GetObjectCommand({ Bucket: localStack().buckets.exports, Key: key }));
    expect(stored.ContentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(stored.ContentDisposition).toContain(`filename*=UTF-8''${encodeURIComponent(fileName)}`);
  });

  it('writes the CSV of the lines in English through the same job: a BOM, the header block, the lines, the net amount', async () => {
    // Act
    const contract = d.contracts[1]!;
    const accepted = await api.request<JobAccepted>('POST', path(contract.contractId), { token: finance, body: { format: 'csv', lang: 'en' } });
    const job = await settled(accepted.json.statusUrl, finance);
    const bytes = new Uint8Array(await (await fetch(job.url!)).arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

    // Assess
    expect(accepted.status, accepted.text).toBe(202);
    expect(job).toMatchObject({ status: 'ready', format: 'csv', lang: 'en', fileName: `statement_${contract.title}_${closedMonth}_en.csv`, bytes: bytes.byteLength });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith(`\uFEFFContract,${contract.title}\r\nContractor,上海清源保洁有限公司\r\nMonth,${closedMonth}\r\nVersion,v1\r\nStatus,draft\r\nNet payable,`)).toBe(true);
    expect(text).toContain('\r\n\r\nNo.,Item,Formula,Amount (CNY),Line key\r\n');
    expect(text).toMatch(/\r\n1,Base fee,.*,3\d{4}\.\d{2},base\/\S+\r\n/);
    const net = /Net payable,(-?\d+\.\d{2})\r\n/.exec(text)?.[1];
    expect(text.endsWith(`\r\n,Total (net payable),,${net},\r\n`)).toBe(true);
  });

  it('answers a repeat with the same Idempotency-Key with the same job, and queues one job only', async () => {
    // Prepare
    const contract = d.contracts[0]!;
    const options = { token: finance, headers: { 'idempotency-key': `exports-repeat-${Date.now()}` }, body: { format: 'csv', lang: 'zh' } };

    // Act
    const first = await api.request<JobAccepted>('POST', path(contract.contractId), options);
    const second = await api.request<JobAccepted>('POST', path(contract.contractId), options);
    const other = await api.request<JobAccepted>('POST', path(contract.contractId), { ...options, headers: { 'idempotency-key': `exports-other-${Date.now()}` } });

    // Assess
    expect(first.status, first.text).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json.jobId).toBe(first.json.jobId);
    expect(other.json.jobId).not.toBe(first.json.jobId);
    expect((await settled(first.json.statusUrl, finance)).status).toBe('ready');
  });

  it("answers 404 for another tenant's job, for a job read under another statement, and for a job that does not exist", async () => {
    // Prepare
    const contract = d.contracts[0]!;
    const accepted = await api.request<JobAccepted>('POST', path(contract.contractId), { token: finance, body: { format: 'csv' } });
    const otherTenant = await tokenFor('finance', { tenantId: `${d.tenantId}-other` });

    // Act
    const foreign = await api.request<{ detail: string }>('GET', accepted.json.statusUrl, { token: otherTenant, headers: { 'accept-language': 'zh-CN' } });
    const elsewhere = await api.request('GET', `${path(d.contracts[1]!.contractId)}/${accepted.json.jobId}`, { token: finance });
    const missing = await api.request('GET', `${path(contract.contractId)}/exj_${'0'.repeat(26)}`, { token: finance });
    const malformed = await api.request('GET', `${path(contract.contractId)}/job-1`, { token: finance });

    // Assess
    expect(foreign.status).toBe(404);
    expect(foreign.json.detail).toBe(`导出任务 '${accepted.json.jobId}' 不存在`);
    expect(elsewhere.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(400);
    await settled(accepted.json.statusUrl, finance);
  });

  it('shows why a job failed: a queued job whose statement is gone is failed by the worker with the reason, in Chinese for a Chinese caller', async () => {
    // Prepare: a job item and its object as the request writes them, for a month without a statement.
    const contract = d.contracts[0]!;
    const jobId = `exj_01${'k'.repeat(24)}`;
    const job: ExportJob = {
      jobId,
      tenantId: d.tenantId,
      contractId: contract.contractId,
      month: '2020-01',
      computeVersion: 1,
      format: 'xlsx',
      lang: 'zh',
      requestedBy: 'finance-user',
      requestedRoles: ['finance'],
      status: 'queued',
      createdAt: new Date().toISOString(),
      attempts: 0,
    };
    await new DynamoExportJobStore(DynamoDBDocumentClient.from(localDynamo()), localStack().tables.main).create(job);

    // Act
    await localS3().send(new PutObjectCommand({ Bucket: localStack().buckets.exports, Key: exportJobKey(d.tenantId, jobId), Body: JSON.stringify({ tenantId: d.tenantId, jobId }), ContentType: 'application/json' }));
    const statusUrl = `/v1/contracts/${contract.contractId}/statements/2020-01/exports/${jobId}`;
    const failed = await settled(statusUrl, finance);
    const inChinese = await api.request<JobView>('GET', statusUrl, { token: finance, headers: { 'accept-language': 'zh-CN' } });

    // Assess
    expect(failed).toMatchObject({ status: 'failed', reason: `statement '${contract.contractId}/2020-01' does not exist` });
    expect(failed.url).toBeUndefined();
    expect(inChinese.json.reason).toBe(`结算单 '${contract.contractId}/2020-01' 不存在`);
  });

  it('refuses other roles and a month without a statement before queuing anything', async () => {
    // Act
    const contractor = await api.request('POST', path(d.contracts[0]!.contractId), { token: await tokenFor('contractor', { tenantId: d.tenantId, contractorId: d.contractorIds[0]! }), body: {} });
    const missing = await api.request('POST', `/v1/contracts/${d.contracts[0]!.contractId}/statements/2020-01/exports`, { token: finance, body: {} });
    const badFormat = await api.request('POST', path(d.contracts[0]!.contractId), { token: finance, body: { format: 'pdf' } });
    const procurement = await api.request('GET', `${path(d.contracts[0]!.contractId)}/exj_${'0'.repeat(26)}`, { token: await tokenFor('procurement', { tenantId: d.tenantId }) });

    // Assess
    expect(contractor.status).toBe(403);
    expect(missing.status).toBe(404);
    expect(badFormat.status).toBe(400);
    expect(procurement.status).toBe(403);
  });
});
