import { listPerformanceFailures } from '../../../domain/payments/export-ocds';
import { ok, route } from '../../shared/http';
import { exportDeps } from './deps';
import { listPerformanceFailuresRoute } from './routes';

export const listPerformanceFailuresHandler = route(listPerformanceFailuresRoute, async ({ actor, query }) =>
  ok(await listPerformanceFailures(exportDeps(), actor, query)),
);
