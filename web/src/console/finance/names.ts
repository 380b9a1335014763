/**
 * Names of what a statement line's sources name by id or code (issue 15): a segment's name
 * (路段名称) from GET /v1/segments/{id}, an activity's label from the API's own label of a task
 * of that activity (GET /v1/tasks/{taskId}: `activityLabel`). Names are not numbers: they are
 * looked up once per page load and kept; one that cannot be read leaves its id on screen.
 */
import { api } from '../../api/client';
import { label } from '../../i18n';

export interface SourceNames {
  /** Segment id → name. */
  readonly segments: ReadonlyMap<string, string>;
  /** Activity slug → label in the reader's language. */
  readonly activities: ReadonlyMap<string, string>;
}

type Fact = { readonly id: string } & Readonly<Record<string, unknown>>;

const segmentNames = new Map<string, Promise<string | undefined>>();
const activityLabels = new Map<string, Promise<{ zh: string; en: string } | undefined>>();

function segmentName(segmentId: string): Promise<string | undefined> {
  let name = segmentNames.get(segmentId);
  if (name === undefined) {
    name = api.GET('/v1/segments/{segmentId}', { params: { path: { segmentId } } }).then((answer) => answer.data?.name);
    segmentNames.set(segmentId, name);
    // A failed read is not kept: the next table asks again.
    name.then((found) => found === undefined && segmentNames.delete(segmentId), () => segmentNames.delete(segmentId));
  }
  return name.catch(() => undefined);
}

function activityLabel(activity: string, taskId: string): Promise<{ zh: string; en: string } | undefined> {
  let found = activityLabels.get(activity);
  if (found === undefined) {
    found = api.GET('/v1/tasks/{taskId}', { params: { path: { taskId } } }).then((answer) => answer.data?.activityLabel);
    activityLabels.set(activity, found);
    found.then((value) => value === undefined && activityLabels.delete(activity), () => activityLabels.delete(activity));
  }
  return found.catch(() => undefined);
}

/** The names of every segment and activity the facts name, each read at most once. */
export async function sourceNames(sources: Readonly<Record<string, readonly Fact[]>>): Promise<SourceNames> {
  const facts = Object.values(sources).flat();
  const segmentIds = [...new Set(facts.flatMap((fact) => (typeof fact['segmentId'] === 'string' ? [fact['segmentId']] : [])))];
  // One task of each activity: the API labels an activity on its tasks.
  const taskOf = new Map<string, string>();
  for (const fact of sources['taskIds'] ?? []) if (typeof fact['activity'] === 'string' && !taskOf.has(fact['activity'])) taskOf.set(fact['activity'], fact.id);
  const [segments, activities] = await Promise.all([
    Promise.all(segmentIds.map(async (id) => [id, await segmentName(id)] as const)),
    Promise.all([...taskOf].map(async ([activity, taskId]) => [activity, await activityLabel(activity, taskId)] as const)),
  ]);
  return {
    segments: new Map(segments.flatMap(([id, name]) => (name === undefined ? [] : [[id, name]]))),
    activities: new Map(activities.flatMap(([activity, value]) => (value === undefined ? [] : [[activity, label(value)]]))),
  };
}
