import { getTask } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { getTaskRoute } from './routes';

export const getTaskHandler = route(getTaskRoute, async ({ actor, params }) => ok(await getTask(taskDeps(), actor, params.taskId)));
