import { getTask } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { namedTasks } from './names';
import { getTaskRoute } from './routes';

export const getTaskHandler = route(getTaskRoute, async ({ actor, params }) => {
  const [task] = await namedTasks(actor.tenantId, [await getTask(taskDeps(), actor, params.taskId)]);
  return ok(task);
});
