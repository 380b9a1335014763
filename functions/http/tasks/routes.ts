import * as z from 'zod';
import { ContractTasksQuery, SegmentTasksQuery, taskStatuses } from '../../../domain/schedule/use-cases';
import type { RouteSpec } from '../../shared/route';
import { maxPageSize } from '../../shared/schemas';
import { TaskNames } from './names';

const tags = ['tasks'] as const;

export const TaskView = z
  .object({
    taskId: z.string(),
    contractId: z.string(),
    segmentId: z.string(),
    segmentName: TaskNames.shape.segmentName,
    street: TaskNames.shape.street,
    activity: z.string().describe('the activity slug, e.g. sweep'),
    activityLabel: TaskNames.shape.activityLabel,
    intake: TaskNames.shape.intake,
    windowStart: z.string().describe('ISO 8601 instant with the tenant offset, e.g. 2026-12-07T05:00:00+08:00'),
    windowEnd: z.string().describe('ISO 8601 instant with the tenant offset'),
    graceMinutes: z.number().int(),
    minPhotos: z.number().int(),
    localDate: z.string().describe('the tenant-local date the window starts on'),
    origin: z.enum(['standard', 'event']),
    status: z.enum(taskStatuses).describe('pending until an outcome is stored: missed (window plus grace closed without an accepted proof), done (an accepted proof), rejected (an inspector rejected that proof; a new proof may follow). A refused proof leaves the task pending'),
  })
  .meta({ id: 'Task', description: '作业任务: contract x segment x activity x window, derived (never stored)' });

const ContractParams = z.object({ contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)') });
const SegmentParams = z.object({ segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id') });
// Any text: a malformed id is a 404 like a made-up one, so callers cannot probe the layout.
const TaskParams = z.object({ taskId: z.string().min(1).max(600) });

export const listContractTasksRoute = {
  operationId: 'listContractTasks',
  method: 'GET',
  path: '/v1/contracts/{contractId}/tasks',
  summary: "A day's tasks of a contract with their status (contractor users: own contracts only)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'task:read' },
  params: ContractParams,
  // A client's page is 1–200 like every list; the use case also serves internal callers that page by 500.
  query: ContractTasksQuery.extend({ limit: z.coerce.number().int().min(1).max(maxPageSize).default(100).describe(`page size, 1–${maxPageSize}`) }),
  success: {
    status: 200,
    description: "one page of the day's tasks, in derivation order",
    schema: z.object({ date: z.string(), items: z.array(TaskView), nextCursor: z.string().optional() }).meta({ id: 'TaskPage' }),
  },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const getTaskRoute = {
  operationId: 'getTask',
  method: 'GET',
  path: '/v1/tasks/{taskId}',
  summary: 'Resolve a task id to its contract, segment, activity and window (404 for an id that is not a real task)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'task:read' },
  params: TaskParams,
  success: { status: 200, description: 'the task', schema: TaskView },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const listSegmentTasksRoute = {
  operationId: 'listSegmentTasks',
  method: 'GET',
  path: '/v1/segments/{segmentId}/tasks',
  summary: 'Tasks of every active contract on a segment over at most 31 days (inclusive dates)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'task:read' },
  params: SegmentParams,
  query: SegmentTasksQuery,
  success: { status: 200, description: 'the tasks, by window start', schema: z.object({ items: z.array(TaskView) }).meta({ id: 'SegmentTaskList' }) },
  problems: [400, 401, 403, 422],
} as const satisfies RouteSpec;

export const taskRoutes: readonly RouteSpec[] = [listContractTasksRoute, getTaskRoute, listSegmentTasksRoute];
