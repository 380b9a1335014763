import { describe, expect, it } from 'vitest';
import {
  ExportAttemptFailedError,
  exportJobKey,
  exportJobOfKey,
  getStatementExportJob,
  maxExportAttempts,
  requestStatementExport,
  runStatementExportJob,
  type ExportJob,
  type ExportJobOutcome,
  type ExportJobStore,
  type RunExportJobDeps,
} from '../../../../domain/payments/export-jobs';
import { exportLinkSeconds } from '../../../../domain/payments/export-statement';
import { actorWith } from '../../../helpers/fakes';
import { exportNames, exportSubject } from './export-fixtures';

/** An in-memory job store with the conditions of the DynamoDB one. */
function memoryJobs(): ExportJobStore & { readonly items: Map<string, ExportJob> } {
  const items = new Map<string, ExportJob>();
  return {
    items,
    create: async (job) => {
      if (items.has(job.jobId)) throw new Error('exists');
      items.set(job.jobId, job);
    },
    get: async (tenantId, jobId) => (items.get(jobId)?.tenantId === tenantId ? items.get(jobId) : undefined),
    claim: async (tenantId, jobId, at) => {
      const job = items.get(jobId);
      if (job === undefined || job.tenantId !== tenantId || (job.status !== 'queued' && job.status !== 'running')) return undefined;
      const claimed: ExportJob = { ...job, status: 'running', startedAt: at, attempts: job.attempts + 1 };
      items.set(jobId, claimed);
      return claimed;
    },
    finish: async (_tenantId, jobId, outcome: ExportJobOutcome) => {
      const job = items.get(jobId);
      if (job?.status !== 'running') return false;
      items.set(jobId, { ...job, ...outcome });
      return true;
    },
  };
}

const finance = actorWith({ tenantId: 'huangpu', roles: ['finance'], userId: 'fin-1' });
const contractId = 'con_01JNQ0000000000000000000A1';
const clock = { now: () => new Date('2025-07-02T02:00:00Z') };
const ulid = '01JNQ00000000000000000J0B1';

function objects(): RunExportJobDeps['objects'] & { readonly puts: { key: string; body: Uint8Array | string; contentType: string }[] } {
  const puts: { key: string; body: Uint8Array | string; contentType: string }[] = [];
  return {
    puts,
    put: async (key, body, contentType) => void puts.push({ key, body, contentType }),
    presignGet: async (key, seconds, fileName) => `https://exports.example/${key}?expires=${seconds}&name=${encodeURIComponent(fileName?.name ?? '')}`,
  };
}

async function queued(jobs = memoryJobs(), store = objects()): Promise<{ job: ExportJob; jobs: typeof jobs; store: typeof store }> {
  const job = await requestStatementExport({ statement: async () => exportSubject('approved'), jobs, objects: store, ids: { next: () => ulid }, clock }, finance, { contractId, month: '2025-06', format: 'xlsx', lang: 'zh' });
  return { job, jobs, store };
}

function runDeps(jobs: ExportJobStore, store: ReturnType<typeof objects>, xlsx: RunExportJobDeps['xlsx'] = async () => new Uint8Array([0x50, 0x4b, 3, 4])): RunExportJobDeps {
  return { jobs, objects: store, statement: async () => exportSubject('approved'), xlsx, names: async () => exportNames, clock };
}

describe('export job keys', () => {
  it('reads the tenant and job back from a job object key, and nothing from any other key', () => {
    // Act
    const key = exportJobKey('huangpu', `exj_${ulid.toLowerCase()}`);

    // Assess
    expect(key).toBe(`jobs/huangpu/exj_${ulid.toLowerCase()}.json`);
    expect(exportJobOfKey(key)).toEqual({ tenantId: 'huangpu', jobId: `exj_${ulid.toLowerCase()}` });
    expect(exportJobOfKey('exports/huangpu/con_x/2025-06/1-zh.xlsx')).toBeUndefined();
    expect(exportJobOfKey('jobs/huangpu/other.json')).toBeUndefined();
  });
});

describe('requestStatementExport', () => {
  it('queues a job with the computation, the requester and the format, and drops its object under jobs/', async () => {
    // Act
    const { job, store } = await queued();

    // Assess
    expect(job).toEqual({
      jobId: `exj_${ulid.toLowerCase()}`,
      tenantId: 'huangpu',
      contractId,
      month: '2025-06',
      computeVersion: 2,
      format: 'xlsx',
      lang: 'zh',
      requestedBy: 'fin-1',
      requestedRoles: ['finance'],
      status: 'queued',
      createdAt: '2025-07-02T02:00:00.000Z',
      attempts: 0,
    });
    expect(store.puts).toEqual([{ key: `jobs/huangpu/${job.jobId}.json`, body: JSON.stringify({ tenantId: 'huangpu', jobId: job.jobId }), contentType: 'application/json' }]);
  });

  it('refuses other roles and a month without a statement, queuing nothing', async () => {
    // Prepare
    const jobs = memoryJobs();
    const base = { jobs, objects: objects(), ids: { next: () => ulid }, clock };
    const request = { contractId, month: '2025-06', format: 'csv', lang: 'zh' } as const;

    // Act / Assess
    await expect(requestStatementExport({ ...base, statement: async () => exportSubject('approved') }, actorWith({ tenantId: 'huangpu', roles: ['procurement'] }), request)).rejects.toThrow('may not statement:export');
    await expect(requestStatementExport({ ...base, statement: async () => undefined }, finance, request)).rejects.toThrow('does not exist');
    expect(jobs.items.size).toBe(0);
  });
});

describe('runStatementExportJob', () => {
  it('writes the file for the requester and marks the job ready with its key, file name and size; a redelivery does nothing', async () => {
    // Prepare
    const { job, jobs, store } = await queued();

    // Act
    const run = await runStatementExportJob(runDeps(jobs, store), { tenantId: 'huangpu', jobId: job.jobId });
    const again = await runStatementExportJob(runDeps(jobs, store), { tenantId: 'huangpu', jobId: job.jobId });

    // Assess
    expect(run.outcome).toBe('ready');
    expect(jobs.items.get(job.jobId)).toMatchObject({
      status: 'ready',
      attempts: 1,
      key: `exports/huangpu/${contractId}/2025-06/2-zh.xlsx`,
      fileName: '结算单_南京东路街道道路保洁服务合同_2025-06_zh.xlsx',
      bytes: 4,
      finishedAt: '2025-07-02T02:00:00.000Z',
    });
    expect(again).toEqual({ outcome: 'skipped' });
    expect(store.puts.filter((put) => put.key.startsWith('exports/'))).toHaveLength(1);
  });

  it("fails the job at once with a rule's reason, in both languages", async () => {
    // Prepare
    const { job, jobs, store } = await queued();

    // Act
    const run = await runStatementExportJob({ ...runDeps(jobs, store), statement: async () => undefined }, { tenantId: 'huangpu', jobId: job.jobId });

    // Assess
    expect(run.outcome).toBe('failed');
    expect(jobs.items.get(job.jobId)).toMatchObject({ status: 'failed', reason: `statement '${contractId}/2025-06' does not exist`, reasonZh: `结算单 '${contractId}/2025-06' 不存在` });
  });

  it('throws any other error for Lambda to retry, and fails the job with a generic reason on the last attempt', async () => {
    // Prepare
    const { job, jobs, store } = await queued();
    const failing = runDeps(jobs, store, async () => {
      throw new Error('S3 said 503');
    });

    // Act
    const attempts: unknown[] = [];
    for (let attempt = 1; attempt < maxExportAttempts; attempt += 1) attempts.push(await runStatementExportJob(failing, { tenantId: 'huangpu', jobId: job.jobId }).catch((error: unknown) => error));
    const last = await runStatementExportJob(failing, { tenantId: 'huangpu', jobId: job.jobId });

    // Assess
    expect(attempts.every((error) => error instanceof ExportAttemptFailedError)).toBe(true);
    expect(last.outcome).toBe('failed');
    expect(jobs.items.get(job.jobId)).toMatchObject({ status: 'failed', attempts: maxExportAttempts, reason: `the file could not be written after ${maxExportAttempts} attempts; request the export again` });
    expect(JSON.stringify(jobs.items.get(job.jobId))).not.toContain('503');
  });

  it('skips a job that does not exist', async () => {
    // Act / Assess
    expect(await runStatementExportJob(runDeps(memoryJobs(), objects()), { tenantId: 'huangpu', jobId: 'exj_none' })).toEqual({ outcome: 'skipped' });
  });
});

describe('getStatementExportJob', () => {
  it('answers a queued job without a link, and a ready one with its file name and a fresh five-minute link', async () => {
    // Prepare
    const { job, jobs, store } = await queued();
    const read = { jobs, objects: store, clock };
    const ref = { contractId, month: '2025-06', jobId: job.jobId };

    // Act
    const before = await getStatementExportJob(read, finance, ref);
    await runStatementExportJob(runDeps(jobs, store), { tenantId: 'huangpu', jobId: job.jobId });
    const after = await getStatementExportJob(read, finance, ref);

    // Assess
    expect(before).toEqual({ jobId: job.jobId, status: 'queued', format: 'xlsx', lang: 'zh', computeVersion: 2, requestedAt: '2025-07-02T02:00:00.000Z' });
    const fileName = '结算单_南京东路街道道路保洁服务合同_2025-06_zh.xlsx';
    expect(after).toMatchObject({ status: 'ready', fileName, bytes: 4, expiresAt: '2025-07-02T02:05:00.000Z' });
    expect(after.url).toBe(`https://exports.example/exports/huangpu/${contractId}/2025-06/2-zh.xlsx?expires=${exportLinkSeconds}&name=${encodeURIComponent(fileName)}`);
  });

  it("is a 404 for another tenant's job and for a job read under another statement, and finance only", async () => {
    // Prepare
    const { job, jobs, store } = await queued();
    const read = { jobs, objects: store, clock };

    // Act / Assess
    await expect(getStatementExportJob(read, actorWith({ tenantId: 'jingan', roles: ['finance'] }), { contractId, month: '2025-06', jobId: job.jobId })).rejects.toThrow('does not exist');
    await expect(getStatementExportJob(read, finance, { contractId, month: '2025-05', jobId: job.jobId })).rejects.toThrow('does not exist');
    await expect(getStatementExportJob(read, actorWith({ tenantId: 'huangpu', roles: ['inspector'] }), { contractId, month: '2025-06', jobId: job.jobId })).rejects.toThrow('may not statement:export');
  });
});
