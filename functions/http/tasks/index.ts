import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/contracts/{contractId}/tasks', async () => (await import('./list-contract-tasks')).listContractTasksHandler),
  lazyRoute('GET /v1/tasks/{taskId}', async () => (await import('./get-task')).getTaskHandler),
  lazyRoute('GET /v1/segments/{segmentId}/tasks', async () => (await import('./list-segment-tasks')).listSegmentTasksHandler),
];

/** The tasks Lambda: read routes of derived tasks (contract-day, one task, segment range). */
export const handler = lazyHttpModule(routes);
