import { listSegmentTasks } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { listSegmentTasksRoute } from './routes';

export const listSegmentTasksHandler = route(listSegmentTasksRoute, async ({ actor, params, query }) =>
  ok(await listSegmentTasks(taskDeps(), actor, params.segmentId, query)),
);
