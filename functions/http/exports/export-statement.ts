import { exportJobPath, requestStatementExport } from '../../../domain/payments/export-jobs';
import { route } from '../../shared/http';
import { exportDeps } from './deps';
import { exportStatementRoute } from './routes';

/** 202 with the queued job and where to poll it (Location and `statusUrl`); the worker writes the file. */
export const exportStatementHandler = route(exportStatementRoute, async ({ actor, params, body }) => {
  const job = await requestStatementExport(exportDeps(), actor, { contractId: params.contractId, month: params.month, format: body.format, lang: body.lang });
  const statusUrl = exportJobPath(job);
  return { status: 202, body: { jobId: job.jobId, status: 'queued', statusUrl }, headers: { location: statusUrl } };
});
