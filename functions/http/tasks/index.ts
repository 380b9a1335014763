import { httpModule } from '../../shared/http';
import { getTaskHandler } from './get-task';
import { listContractTasksHandler } from './list-contract-tasks';
import { listSegmentTasksHandler } from './list-segment-tasks';

/** The tasks Lambda: read routes of derived tasks (contract-day, one task, segment range). */
export const handler = httpModule([listContractTasksHandler, getTaskHandler, listSegmentTasksHandler]);
