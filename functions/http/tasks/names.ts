import * as z from 'zod';
import { activityNamesZh, knownActivities, type KnownActivity } from '../../../domain/schedule/standard';
import { defaultZone } from '../../../domain/dates';
import { taskIntakeWindow } from '../../../domain/schedule/intake';
import { nameReader, type NameReader } from '../shared/names';

/**
 * A task as a crew reads it (issue 13): beside `segmentId` the road's name and street, beside
 * `activity` its label in Chinese and English, so a day's list reads 南京西路(华山路—常德路) ·
 * 普扫 rather than seg_… · sweep. Names are read when answering (../shared/names.ts).
 */

/** English labels of the known activities, beside the Chinese ones crews' lists print. */
export const activityNamesEn: Readonly<Record<KnownActivity, string>> = {
  sweep: 'Sweeping',
  patrol_clean: 'Patrol cleaning',
  wash: 'Washing',
  water: 'Sprinkling',
  prune: 'Pruning',
  irrigate: 'Irrigation',
  pest: 'Pest control',
  facility_patrol: 'Facility patrol',
  mow: 'Mowing',
  weed: 'Weeding',
  snow_clear: 'Snow clearing',
  bin_clean: 'Litter bin cleaning',
};

export const ActivityLabel = z
  .object({ zh: z.string().describe('e.g. 普扫'), en: z.string().describe('e.g. Sweeping') })
  .meta({ id: 'ActivityLabel', description: "the activity's label; a district's own activity (no shipped label) is labelled by its slug in both" });
export type ActivityLabel = z.infer<typeof ActivityLabel>;

function isKnown(activity: string): activity is KnownActivity {
  return (knownActivities as readonly string[]).includes(activity);
}

/** The label of an activity: the shipped names, or the slug itself for a district's own. */
export function activityLabel(activity: string): ActivityLabel {
  return isKnown(activity) ? { zh: activityNamesZh[activity], en: activityNamesEn[activity] } : { zh: activity, en: activity };
}

export const TaskIntake = z
  .object({
    opens: z.string().describe('uploads and proofs are taken from this instant (60 min before the window)'),
    closes: z.string().describe('… until this instant (the end of the day after the task\'s date): the deadline for late uploads'),
  })
  .meta({ id: 'TaskIntake', description: 'when the task takes photos and proofs, the same rule the intake enforces' });

export const TaskNames = z.object({
  intake: TaskIntake,
  segmentName: z.string().optional().describe("the segment's name (路段名称), e.g. 南京西路(华山路—常德路); absent only if the segment is gone"),
  street: z.string().optional().describe("the segment's street (街道)"),
  activityLabel: ActivityLabel,
});
export type TaskNames = z.infer<typeof TaskNames>;

interface TaskRef {
  readonly segmentId: string;
  readonly activity: string;
  readonly windowStart: string;
  readonly localDate: string;
}

/** Tasks with their segment's name and street and their activity's label, with one read. */
export async function namedTasks<T extends TaskRef>(tenantId: string, tasks: readonly T[], read: NameReader = nameReader()): Promise<(T & TaskNames)[]> {
  if (tasks.length === 0) return [];
  const { segments } = await read(tenantId, { segmentIds: new Set(tasks.map((task) => task.segmentId)) });
  return tasks.map((task) => {
    const segment = segments.get(task.segmentId);
    // The zone the proof intake checks with (domain/proofs/use-cases.ts zoneOf: the default zone).
    const { opens, closes } = taskIntakeWindow(task, defaultZone);
    return {
      ...task,
      ...(segment === undefined ? {} : { segmentName: segment.name, street: segment.street }),
      activityLabel: activityLabel(task.activity),
      intake: { opens: opens.toISOString(), closes: closes.toISOString() },
    };
  });
}
