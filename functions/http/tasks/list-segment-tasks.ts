import { listSegmentTasks } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { namedTasks } from './names';
import { listSegmentTasksRoute } from './routes';

export const listSegmentTasksHandler = route(listSegmentTasksRoute, async ({ actor, params, query }) => {
  const { items } = await listSegmentTasks(taskDeps(), actor, params.segmentId, query);
  return ok({ items: await namedTasks(actor.tenantId, items) });
});
