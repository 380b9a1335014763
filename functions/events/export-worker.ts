import type { S3Event } from 'aws-lambda';
import { exportJobOfKey, runStatementExportJob, type ExportJobRun, type RunExportJobDeps } from '../../domain/payments/export-jobs';
import { DynamoExportJobStore } from '../adapters/dynamodb/export-job-store';
import { dynamoNames } from '../adapters/dynamodb/names';
import { dynamoStatementSubject } from '../adapters/dynamodb/statement-subject';
import { S3ExportStore } from '../adapters/export/s3-exports';
import { exportNamesReader } from '../http/exports/names';
import { withSystemAudit } from '../shared/audit-context';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { logger } from '../shared/logger';
import { systemClock } from '../shared/system';
import { decodeS3Key } from './s3-keys';

/**
 * The statement export worker (issue 16): the exports bucket's ObjectCreated notification for
 * `jobs/` in AWS (infra/stateless.ts), the s3rver event emulation on the local stack
 * (infra/local/object-events.ts), both with this module. Each record names a job object
 * `jobs/{tenant}/{jobId}.json`; the job item it names is run by
 * domain/payments/export-jobs.ts `runStatementExportJob` (exceljs is loaded here, at the first
 * XLSX job, never by the API's exports Lambda).
 *
 * Lean on purpose: no zod, middy or route code (its bundle is measured by the bench). The
 * key alone says which job; the object's body is not read. A record whose job failed in a way
 * worth retrying fails the invocation after the others have run, so Lambda's async retry
 * (then the on-failure queue) sees it; finished jobs are skipped, so a retry redoes only what
 * is left.
 */

export type WorkerLog = Pick<typeof logger, 'info' | 'warn' | 'error'>;

export interface WorkerSummary {
  readonly runs: readonly (ExportJobRun & { readonly key: string })[];
}

let defaultDeps: RunExportJobDeps | undefined;

/** Built once per container, at the first event (the environment is read then). */
function productionDeps(): RunExportJobDeps {
  if (defaultDeps === undefined) {
    const client = documentClient();
    defaultDeps = {
      jobs: new DynamoExportJobStore(client, env.mainTable),
      statement: dynamoStatementSubject(client, env.mainTable),
      objects: new S3ExportStore(),
      // exceljs (about 550 KB) loads with the first workbook: a CSV job never parses it.
      xlsx: async (tables) => (await import('../adapters/export/xlsx')).xlsxOf(tables),
      names: exportNamesReader(client, env.mainTable, dynamoNames(client, env.mainTable)),
      clock: systemClock,
    };
  }
  return defaultDeps;
}

/** A handler over the given ports (tests inject failing stores and writers). */
export function createExportWorker(depsOf: () => RunExportJobDeps = productionDeps, log: WorkerLog = logger): (event: S3Event) => Promise<WorkerSummary> {
  return withSystemAudit('export-worker', 'exportStatement', async (event: S3Event) => {
    const deps = depsOf();
    const runs: (ExportJobRun & { key: string })[] = [];
    const failed: { key: string; error: unknown }[] = [];
    for (const record of event.Records ?? []) {
      let key = record.s3?.object?.key ?? '';
      try {
        key = decodeS3Key(key);
        const ref = exportJobOfKey(key);
        if (ref === undefined) {
          log.warn('object is not an export job; ignored', { key });
          continue;
        }
        const run = await runStatementExportJob(deps, ref);
        runs.push({ ...run, key });
        log.info('export job', { key, outcome: run.outcome, ...(run.outcome === 'skipped' ? {} : { jobId: run.job.jobId, tenantId: run.job.tenantId }), ...('reason' in run ? { reason: run.reason } : {}) });
      } catch (error) {
        log.error('export job failed; the event will be retried', { key, error: error as Error });
        failed.push({ key, error });
      }
    }
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((failure) => failure.error),
        `export failed for ${failed.length} of ${event.Records?.length ?? 0} jobs: ${failed.map((failure) => failure.key).join(', ')}`,
      );
    }
    return { runs };
  });
}

export const handler = createExportWorker();
