import { getStatementExportJob } from '../../../domain/payments/export-jobs';
import { ok, route } from '../../shared/http';
import { localeOf, localized } from '../../shared/locale';
import { exportDeps } from './deps';
import { getExportJobRoute } from './routes';

/** The job; a failed one's reason in the caller's language. */
export const getExportJobHandler = route(getExportJobRoute, async ({ actor, params, headers }) => {
  const { reason, reasonZh, ...job } = await getStatementExportJob(exportDeps(), actor, params);
  return ok(reason === undefined ? job : { ...job, reason: localized(localeOf(headers), reason, reasonZh) });
});
