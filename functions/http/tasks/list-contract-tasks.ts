import { listContractTasks } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { taskDeps } from './deps';
import { namedTasks } from './names';
import { listContractTasksRoute } from './routes';

export const listContractTasksHandler = route(listContractTasksRoute, async ({ actor, params, query }) => {
  const page = await listContractTasks(taskDeps(), actor, params.contractId, query);
  return ok({ ...page, items: await namedTasks(actor.tenantId, page.items) });
});
