import { prefixedUlid } from '../ids';
import { DomainError, NotFoundError } from '../errors';
import { authorize, type Actor, type Role } from '../policy';
import type { Clock, IdGenerator } from '../ports';
import { exportLinkSeconds, writeStatementExport, type ExportDeps, type ExportObjectStore, type ExportRequest } from './export-statement';
import type { ExportFormat, ExportLanguage, StatementExportSubject } from './export-table';

/**
 * Statement exports as jobs (issue 16): exceljs takes most of a second to load and more to
 * write a workbook, so it never runs on a user's request. The request records a job and drops a
 * small job object under `jobs/{tenant}/{jobId}.json` in the exports bucket; the bucket's
 * ObjectCreated notification runs the export worker (functions/events/export-worker.ts), which
 * writes the file as the synchronous export did (`writeStatementExport`) and marks the job
 * ready or failed. The caller polls the job; a ready job answers a fresh five-minute link.
 *
 * XLSX and CSV go through the same job: one path, although a CSV alone would be quick enough
 * to answer at once.
 *
 * S3 delivers at least once, so every step is conditional: a job is created once (a repeat of
 * the same idempotent request finds its own), claimed only while queued or running (a worker
 * that died mid-way is redone by Lambda's retry), and finished only while running; a
 * redelivered event for a finished job does nothing.
 */

export const exportJobStatuses = ['queued', 'running', 'ready', 'failed'] as const;
export type ExportJobStatus = (typeof exportJobStatuses)[number];

/** Attempts of one job before a failure that is not a rule's is final: Lambda's first try and its two retries. */
export const maxExportAttempts = 3;

export interface ExportJob {
  readonly jobId: string;
  readonly tenantId: string;
  readonly contractId: string;
  readonly month: string;
  /** The computation current at the request; a ready job names the one its file shows. */
  readonly computeVersion: number;
  readonly format: ExportFormat;
  readonly lang: ExportLanguage;
  /** The requester (token subject) and roles: the worker exports on their behalf. */
  readonly requestedBy: string;
  readonly requestedRoles: readonly Role[];
  readonly contractorId?: string;
  readonly status: ExportJobStatus;
  /** ISO instant of the request. */
  readonly createdAt: string;
  /** Worker runs so far (each claim counts one). */
  readonly attempts: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Ready: the object, what it saves as, its size. */
  readonly key?: string;
  readonly fileName?: string;
  readonly asciiFileName?: string;
  readonly bytes?: number;
  /** Failed: why, in English and in Chinese. */
  readonly reason?: string;
  readonly reasonZh?: string;
}

/** The end of a job, written only while it is running. */
export type ExportJobOutcome =
  | { readonly status: 'ready'; readonly finishedAt: string; readonly key: string; readonly fileName: string; readonly asciiFileName: string; readonly bytes: number; readonly computeVersion: number }
  | { readonly status: 'failed'; readonly finishedAt: string; readonly reason: string; readonly reasonZh: string };

/** Export jobs in the main table (functions/adapters/dynamodb/export-job-store.ts); every call is scoped to one tenant. */
export interface ExportJobStore {
  /** Puts a new job; a job of that id already written by this same request is accepted as is. */
  create(job: ExportJob): Promise<void>;
  get(tenantId: string, jobId: string): Promise<ExportJob | undefined>;
  /** queued|running → running, attempts + 1; undefined when the job is missing or finished. */
  claim(tenantId: string, jobId: string, at: string): Promise<ExportJob | undefined>;
  /** running → ready|failed; false when the job was no longer running (another delivery finished it). */
  finish(tenantId: string, jobId: string, outcome: ExportJobOutcome): Promise<boolean>;
}

/** The job object the worker is notified of: ids only (the job item holds the rest). */
export function exportJobKey(tenantId: string, jobId: string): string {
  return `jobs/${tenantId}/${jobId}.json`;
}

/** The tenant and job of a job object's key; undefined for any other key. */
export function exportJobOfKey(key: string): { readonly tenantId: string; readonly jobId: string } | undefined {
  const match = /^jobs\/([^/]+)\/(exj_[0-9a-z]{26})\.json$/.exec(key);
  return match === null ? undefined : { tenantId: match[1]!, jobId: match[2]! };
}

/** Where a job is read (the route of `getStatementExportJob`). */
export function exportJobPath(job: Pick<ExportJob, 'contractId' | 'month' | 'jobId'>): string {
  return `/v1/contracts/${job.contractId}/statements/${job.month}/exports/${job.jobId}`;
}

export interface RequestExportDeps {
  readonly statement: (tenantId: string, contractId: string, month: string) => Promise<StatementExportSubject | undefined>;
  readonly jobs: Pick<ExportJobStore, 'create'>;
  readonly objects: Pick<ExportObjectStore, 'put'>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Requests an export (finance, policy `statement:export`): validated and authorized as the
 * synchronous export was (404 when the contract-month has no statement), then queued.
 */
export async function requestStatementExport(deps: RequestExportDeps, actor: Actor, request: ExportRequest): Promise<ExportJob> {
  authorize(actor, 'statement:export');
  const subject = await deps.statement(actor.tenantId, request.contractId, request.month);
  if (subject === undefined) throw new NotFoundError('statement', `${request.contractId}/${request.month}`);
  authorize(actor, 'statement:export', { tenantId: subject.tenantId, contractorId: subject.contractorId });
  const job: ExportJob = {
    jobId: prefixedUlid('exj', deps.ids.next()),
    tenantId: actor.tenantId,
    contractId: request.contractId,
    month: request.month,
    computeVersion: subject.computeVersion,
    format: request.format,
    lang: request.lang,
    requestedBy: actor.userId,
    requestedRoles: [...actor.roles],
    ...(actor.contractorId === undefined ? {} : { contractorId: actor.contractorId }),
    status: 'queued',
    createdAt: deps.clock.now().toISOString(),
    attempts: 0,
  };
  await deps.jobs.create(job);
  // The item first: the worker the object notifies reads it.
  await deps.objects.put(exportJobKey(job.tenantId, job.jobId), JSON.stringify({ tenantId: job.tenantId, jobId: job.jobId }), 'application/json');
  return job;
}

/** A job as its reader sees it: a ready job with a fresh link. */
export interface ExportJobView {
  readonly jobId: string;
  readonly status: ExportJobStatus;
  readonly format: ExportFormat;
  readonly lang: ExportLanguage;
  readonly computeVersion: number;
  readonly requestedAt: string;
  readonly fileName?: string;
  readonly bytes?: number;
  readonly url?: string;
  readonly expiresAt?: string;
  readonly reason?: string;
  readonly reasonZh?: string;
}

export interface ReadExportJobDeps {
  readonly jobs: Pick<ExportJobStore, 'get'>;
  readonly objects: Pick<ExportObjectStore, 'presignGet'>;
  readonly clock: Clock;
}

/** One job of the caller's tenant on that contract-month (finance); another tenant's, or another statement's, is a 404. */
export async function getStatementExportJob(deps: ReadExportJobDeps, actor: Actor, ref: { readonly contractId: string; readonly month: string; readonly jobId: string }): Promise<ExportJobView> {
  authorize(actor, 'statement:export');
  const job = await deps.jobs.get(actor.tenantId, ref.jobId);
  if (job === undefined || job.contractId !== ref.contractId || job.month !== ref.month) {
    throw new NotFoundError('export job', ref.jobId, { zh: `导出任务 '${ref.jobId}' 不存在` });
  }
  const view: ExportJobView = {
    jobId: job.jobId,
    status: job.status,
    format: job.format,
    lang: job.lang,
    computeVersion: job.computeVersion,
    requestedAt: job.createdAt,
    ...(job.fileName === undefined ? {} : { fileName: job.fileName }),
    ...(job.bytes === undefined ? {} : { bytes: job.bytes }),
    ...(job.reason === undefined ? {} : { reason: job.reason }),
    ...(job.reasonZh === undefined ? {} : { reasonZh: job.reasonZh }),
  };
  if (job.status !== 'ready' || job.key === undefined) return view;
  const fileName = job.fileName === undefined ? undefined : { name: job.fileName, asciiName: job.asciiFileName ?? job.fileName };
  const url = await deps.objects.presignGet(job.key, exportLinkSeconds, fileName);
  return { ...view, url, expiresAt: new Date(deps.clock.now().getTime() + exportLinkSeconds * 1000).toISOString() };
}

export interface RunExportJobDeps extends ExportDeps {
  readonly jobs: Pick<ExportJobStore, 'claim' | 'finish'>;
}

export type ExportJobRun =
  | { readonly outcome: 'ready' | 'failed'; readonly job: ExportJob; readonly reason?: string }
  /** Missing or already finished: a redelivery, nothing done. */
  | { readonly outcome: 'skipped' };

/**
 * Thrown by {@link runStatementExportJob} for a failure worth another attempt (S3 or DynamoDB
 * unavailable, a timeout): the worker's invocation fails, so Lambda retries it.
 */
export class ExportAttemptFailedError extends Error {
  override readonly name = 'ExportAttemptFailedError';
}

/** The requester as an actor: the worker exports with their rights, checked again. */
export function requesterOf(job: ExportJob): Actor {
  return { userId: job.requestedBy, tenantId: job.tenantId, roles: job.requestedRoles, ...(job.contractorId === undefined ? {} : { contractorId: job.contractorId }) };
}

/**
 * Runs one job: claims it, writes the file on the requester's behalf and marks it ready. A
 * rule's refusal (the statement is gone, the requester may no longer export) fails the job with
 * its reason at once; any other error fails it only on the last attempt and is thrown before
 * that, for Lambda to retry.
 */
export async function runStatementExportJob(deps: RunExportJobDeps, ref: { readonly tenantId: string; readonly jobId: string }): Promise<ExportJobRun> {
  const job = await deps.jobs.claim(ref.tenantId, ref.jobId, deps.clock.now().toISOString());
  if (job === undefined) return { outcome: 'skipped' };
  let outcome: ExportJobOutcome;
  try {
    const written = await writeStatementExport(deps, requesterOf(job), { contractId: job.contractId, month: job.month, format: job.format, lang: job.lang });
    outcome = { status: 'ready', finishedAt: deps.clock.now().toISOString(), key: written.key, fileName: written.fileName.name, asciiFileName: written.fileName.asciiName, bytes: written.bytes, computeVersion: written.computeVersion };
  } catch (error) {
    if (!(error instanceof DomainError) && job.attempts < maxExportAttempts) {
      throw new ExportAttemptFailedError(`export job ${job.jobId}: attempt ${job.attempts} of ${maxExportAttempts} failed`, { cause: error });
    }
    outcome = { status: 'failed', finishedAt: deps.clock.now().toISOString(), ...failureReason(error, job.attempts) };
  }
  await deps.jobs.finish(job.tenantId, job.jobId, outcome);
  return { outcome: outcome.status, job: { ...job, ...outcome }, ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}) };
}

/** A rule's own words; for anything else a generic reason (internals stay in the logs). */
export function failureReason(error: unknown, attempts: number): { readonly reason: string; readonly reasonZh: string } {
  if (error instanceof DomainError) return { reason: error.message, reasonZh: error.zh ?? error.message };
  return {
    reason: `the file could not be written after ${attempts} attempts; request the export again`,
    reasonZh: `导出文件经 ${attempts} 次尝试仍未生成，请重新导出`,
  };
}
