import { listContractTasks } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { listContractTasksRoute } from './routes';

export const listContractTasksHandler = route(listContractTasksRoute, async ({ actor, params, query }) =>
  ok(await listContractTasks(taskDeps(), actor, params.contractId, query)),
);
